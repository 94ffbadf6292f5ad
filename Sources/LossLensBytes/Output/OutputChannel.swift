import Foundation

/// A descriptor that text and bytes are written to in full, remembering the first write that
/// failed instead of trapping (`FileHandle.write` traps on a closed or full descriptor).
///
/// After a failure nothing more is written: a report with a hole in the middle is worse than one
/// cut short, and the caller turns the recorded error into its message and exit status.
@_spi(Layers) public final class OutputChannel {
    @_spi(Layers) public let descriptor: Int32
    /// What the descriptor is, for messages: "standard output", a path.
    @_spi(Layers) public let name: String
    /// The `errno` of the first failed write.
    @_spi(Layers) public private(set) var failure: Int32?
    /// Bytes replaced on their way out (see `replacing(_:with:)`), across the pieces written.
    private var replacement: (pattern: [UInt8], with: [UInt8])?
    /// The end of the last piece while it may be the start of the pattern.
    private var held: [UInt8] = []

    @_spi(Layers) public init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    @_spi(Layers) public static func standardOutput() -> OutputChannel {
        OutputChannel(descriptor: STDOUT_FILENO, name: "standard output")
    }

    @_spi(Layers) public static func standardError() -> OutputChannel {
        OutputChannel(descriptor: STDERR_FILENO, name: "standard error")
    }

    /// Whether the reader went away (`losslens … | head`): not an error the user needs told.
    @_spi(Layers) public var readerClosed: Bool { failure == EPIPE }

    /// The reason of the failure, as the system words it.
    @_spi(Layers) public var failureReason: String? {
        failure.map { String(cString: strerror($0)) }
    }

    /// From now on `pattern` goes out as `replacement`, also where it straddles two writes.
    @_spi(Layers) public func replacing(_ pattern: String, with replacement: String) {
        self.replacement = (Array(pattern.utf8), Array(replacement.utf8))
    }

    @_spi(Layers) public func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    @_spi(Layers) public func write(_ data: Data) {
        data.withUnsafeBytes { write($0) }
    }

    /// The shape report writers hand their pieces over in.
    @_spi(Layers) public func write(_ bytes: ByteView) {
        write(UnsafeRawBufferPointer(bytes.buffer))
    }

    @_spi(Layers) public func write(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil else { return }
        guard let replacement else { return writeAll(bytes) }
        var output = held
        held = []
        output.reserveCapacity(output.count + bytes.count)
        output.append(contentsOf: bytes)
        var replaced: [UInt8] = []
        replaced.reserveCapacity(output.count)
        var index = 0
        let pattern = replacement.pattern
        while index < output.count {
            if output[index] == pattern[0] {
                let available = min(pattern.count, output.count - index)
                if output[index..<index + available].elementsEqual(pattern.prefix(available)) {
                    if available < pattern.count {
                        // Perhaps the pattern's start: the next piece tells.
                        held = Array(output[index...])
                        break
                    }
                    replaced += replacement.with
                    index += pattern.count
                    continue
                }
            }
            replaced.append(output[index])
            index += 1
        }
        replaced.withUnsafeBytes { writeAll($0) }
    }

    /// Writes what a replacement still holds back; call once the last piece is written.
    @_spi(Layers) public func flush() {
        guard !held.isEmpty, failure == nil else { return }
        let rest = held
        held = []
        rest.withUnsafeBytes { writeAll($0) }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written > 0 {
                offset += written
            } else if written < 0, errno == EINTR {
                continue
            } else if written < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                // A descriptor someone else made non-blocking (a shared terminal or pipe): wait
                // until it takes more rather than dropping the rest.
                var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&ready, 1, -1)
            } else {
                failure = written < 0 ? errno : EIO
                return
            }
        }
    }
}
