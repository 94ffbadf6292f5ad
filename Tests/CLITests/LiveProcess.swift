import Foundation
import XCTest

/// The built binary run in the background, for tests that act on it while it runs (signals, a
/// log rotated under `watch`). Its output goes to files, which are polled: waits are for a
/// condition, with a timeout generous enough for a loaded machine, never a fixed sleep.
final class LiveProcess {
    let process = Process()
    let folder: URL
    private let outputFile: URL
    private let errorFile: URL
    /// Write end of standard input, when the test feeds it.
    let input: FileHandle?

    /// Long enough for a debug build on a busy 2-core machine.
    static let patience: TimeInterval = 90

    /// `feedsInput`: standard input is a pipe the test writes (and must close); otherwise /dev/null.
    init(_ arguments: [String], feedsInput: Bool = false, environment: [String: String] = [:], in folder: URL) throws {
        signal(SIGPIPE, SIG_IGN)
        self.folder = folder
        outputFile = folder.appendingPathComponent("stdout-\(UUID().uuidString)")
        errorFile = folder.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.executableURL = CLIRunner.binary
        process.arguments = arguments
        process.environment = CLIRunner.childEnvironment(adding: environment)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        if feedsInput {
            let pipe = Pipe()
            process.standardInput = pipe
            input = pipe.fileHandleForWriting
        } else {
            process.standardInput = FileHandle.nullDevice
            input = nil
        }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var stdout: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// Waits until `condition` holds; fails the test (and returns false) after `patience` seconds.
    @discardableResult
    func waitUntil(_ what: String, file: StaticString = #filePath, line: UInt = #line, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(Self.patience)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTFail("timed out waiting for \(what); stderr: \(stderr.suffix(2000))", file: file, line: line)
        return false
    }

    /// The exit status, once the process has ended; nil (and a failed test) when it does not end.
    func exitStatus(file: StaticString = #filePath, line: UInt = #line) -> Int32? {
        guard waitUntil("the process to end", file: file, line: line, { !process.isRunning }) else { return nil }
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .exit, "ended by a signal, not by exiting", file: file, line: line)
        return process.terminationStatus
    }

    func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    func feed(_ text: String) {
        try? input?.write(contentsOf: Data(text.utf8))
    }

    func closeInput() {
        try? input?.close()
    }
}

/// A shell command in the background (a reader of a FIFO), for tests that need another process.
enum LiveProcessShell {
    static func start(_ script: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script] + arguments
        try process.run()
        return process
    }
}
