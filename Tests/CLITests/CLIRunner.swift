import Foundation
import XCTest

/// Runs the built `losslens` binary the way a user or CI would.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        // XCTest on Linux runs from the build products folder, next to the losslens executable.
        let products = Bundle.main.bundleURL
        let candidate = products.appendingPathComponent("losslens")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        return Bundle(for: BundleMarker.self).bundleURL.deletingLastPathComponent().appendingPathComponent("losslens")
    }

    /// The repository root, for the bundled `samples/`.
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Runs the binary through `/bin/sh`, after `setup` (`ulimit -f 1`, `trap '' INT`) and with
    /// `redirections` (`>&-`, `2>/dev/full`, `<&-`): the faults a process can meet that `Process`
    /// cannot set up. Standard output and error not redirected there are captured as usual.
    /// This process's environment without the GitHub Actions variables of a CI that runs the
    /// tests (they would change what losslens writes), plus `environment`.
    static func childEnvironment(adding environment: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "GITHUB_ACTIONS")
        env.removeValue(forKey: "GITHUB_STEP_SUMMARY")
        for (key, value) in environment { env[key] = value }
        return env
    }

    static func run(
        _ arguments: [String], setup: String = "", redirections: String, stdin: Data? = nil,
        environment: [String: String] = [:], currentDirectory: URL? = nil
    ) throws -> Result {
        let script = "\(setup)\n exec \"$0\" \"$@\" \(redirections)"
        return try run(["-c", script, binary.path] + arguments, executable: URL(fileURLWithPath: "/bin/sh"),
                       stdin: stdin, environment: environment, currentDirectory: currentDirectory)
    }

    static func run(
        _ arguments: [String], executable: URL = binary, stdin: Data? = nil, environment: [String: String] = [:],
        currentDirectory: URL? = nil
    ) throws -> Result {
        // A child that exits without reading all of `stdin` must fail the write, not kill the tests.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = childEnvironment(adding: environment)
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let output = Pipe()
        // Standard error goes to a file, so only one pipe needs draining while the child runs.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-stderr-\(UUID())")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errors = try FileHandle(forWritingTo: errorFile)
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        if let stdin { try? input.fileHandleForWriting.write(contentsOf: stdin) }
        try input.fileHandleForWriting.close()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try errors.close()
        let errData = (try? Data(contentsOf: errorFile)) ?? Data()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    static func json(_ result: Result) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try XCTUnwrap(object as? [String: Any], "stdout is not a JSON object: \(result.stdout.prefix(300))")
    }
}

private final class BundleMarker {}
