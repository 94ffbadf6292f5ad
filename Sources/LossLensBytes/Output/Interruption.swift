import Dispatch
import Foundation

/// Files with a name that must not outlive the process: the replacement of a report before it is
/// renamed into place. Spools have no name at all (`AnonymousFile`), so they need no entry here.
@_spi(Layers) public enum TemporaryFiles {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths: Set<String> = []

    static func remember(_ path: String) {
        lock.lock()
        paths.insert(path)
        lock.unlock()
    }

    static func forget(_ path: String) {
        lock.lock()
        paths.remove(path)
        lock.unlock()
    }

    /// Removes every file still registered; for a process about to end on a signal.
    @_spi(Layers) public static func removeAll() {
        lock.lock()
        for path in paths { unlink(path) }
        paths.removeAll()
        lock.unlock()
    }
}

/// SIGINT and SIGTERM handed to a closure on a queue of its own instead of ending the process on
/// the spot, so it can finish a report and remove its temporary files first.
@_spi(Layers) public enum Interruption {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    private static let queue = DispatchQueue(label: "losslens.signals")
    private static let lock = NSLock()
    nonisolated(unsafe) private static var first: Int32?

    /// The exit status for a process ended by `signal`, as a shell reports it (130, 143).
    @_spi(Layers) public static func exitStatus(for signal: Int32) -> Int32 { 128 + signal }

    /// The first SIGINT or SIGTERM received, if any.
    @_spi(Layers) public static var received: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return first
    }

    /// Installs `handler` for the first SIGINT or SIGTERM; a second one ends the process at once
    /// (`exitNow`), for a user who does not want to wait for the report. Call once, early.
    @_spi(Layers) public static func handle(_ handler: @escaping @Sendable (Int32) -> Void) {
        for number in [SIGINT, SIGTERM] {
            // The handler runs on the queue; the signal itself must no longer end the process.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                lock.lock()
                let isFirst = first == nil
                if isFirst { first = number }
                lock.unlock()
                if isFirst { handler(number) } else { exitNow(for: number) }
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Ends the process now, as the signal would have, without leaving temporary files behind.
    @_spi(Layers) public static func exitNow(for signal: Int32) -> Never {
        TemporaryFiles.removeAll()
        _exit(exitStatus(for: signal))
    }
}
