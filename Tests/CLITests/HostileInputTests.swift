import Foundation
import XCTest

/// Inputs from anywhere: each gives a clear error (exit 2 when nothing could be read) or a partial
/// result with a warning, never a crash or a hang, and the rest of a batch goes on. The inputs are
/// generated here, in a temporary folder, rather than committed.
final class HostileInputTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        try XCTSkipUnless(FileManager.default.isExecutableFile(atPath: CLIRunner.binary.path), "losslens binary not built")
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { [folder] in try? FileManager.default.removeItem(at: folder!) }
    }

    // MARK: - Inputs

    private static let kerasLog = """
        Epoch 1/3
        10/10 [==============================] - 1s 10ms/step - loss: 0.9000 - accuracy: 0.5000
        Epoch 2/3
        10/10 [==============================] - 1s 10ms/step - loss: 0.7000 - accuracy: 0.6000
        Epoch 3/3
        10/10 [==============================] - 1s 10ms/step - loss: 0.5000 - accuracy: 0.7000

        """

    @discardableResult
    private func file(_ name: String, _ data: Data) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        return url.path
    }

    @discardableResult
    private func file(_ name: String, _ text: String) throws -> String {
        try file(name, Data(text.utf8))
    }

    private func analyze(_ paths: [String], format: String = "json", extra: [String] = []) throws -> CLIRunner.Result {
        try CLIRunner.run(["analyze", "--format", format, "--fail-on", "never"] + extra + paths)
    }

    private func errors(_ result: CLIRunner.Result) throws -> [String] {
        let errors = try XCTUnwrap(try CLIRunner.json(result)["errors"] as? [[String: Any]])
        return errors.compactMap { $0["message"] as? String }
    }

    private func runs(_ result: CLIRunner.Result) throws -> [[String: Any]] {
        try XCTUnwrap(try CLIRunner.json(result)["runs"] as? [[String: Any]])
    }

    /// The input alone exits 2 with `message` on standard error and in the JSON errors.
    private func assertRefused(_ path: String, saying message: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try analyze([path])
        XCTAssertEqual(result.status, 2, result.stderr, file: file, line: line)
        XCTAssertTrue(result.stderr.contains(message), "stderr: \(result.stderr)", file: file, line: line)
        XCTAssertTrue(try errors(result).contains { $0.contains(message) }, result.stdout, file: file, line: line)
    }

    private func eventTexts(_ run: [String: Any]) -> [String] {
        (run["events"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "inputDamaged" }.compactMap { $0["text"] as? String }
    }

    // MARK: - Files that hold no log

    func testBinaryFileIsRefusedAsBinary() throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<20_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try assertRefused(try file("weights.bin", Data(bytes)), saying: "binary data, not a training log")
    }

    func testEmptyFileIsRefused() throws {
        try assertRefused(try file("empty.log", ""), saying: "the input is empty")
    }

    func testLongLineWithoutNewlineIsRefusedQuickly() throws {
        let line = try file("one-line.log", Data(repeating: UInt8(ascii: "x"), count: 30_000_000))
        let started = Date()
        try assertRefused(line, saying: "no training metrics found")
        XCTAssertLessThan(Date().timeIntervalSince(started), 60, "a 30 MB line must not take minutes")
    }

    func testLogAfterAnOverlongFirstLineIsStillRead() throws {
        var data = Data(repeating: UInt8(ascii: "x"), count: 2_000_000)
        data.append(Data(("\n" + Self.kerasLog).utf8))
        let result = try analyze([try file("junk-first.log", data)])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try runs(result).first?["epochs"] as? Int, 3, result.stdout.prefix(500).description)
    }

    // MARK: - Text that is not quite right

    func testInvalidUTF8IsReadAroundTheBadBytes() throws {
        var data = Data()
        for (index, line) in Self.kerasLog.split(separator: "\n").enumerated() {
            data.append(Data(line.utf8))
            if index == 1 { data.append(contentsOf: [0x20, 0xFF, 0xFE, 0xC3, 0x28, 0xB1]) }  // invalid sequences
            data.append(UInt8(ascii: "\n"))
        }
        let result = try analyze([try file("gbk.log", data)])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try runs(result).first?["epochs"] as? Int, 3)
    }

    func testRaggedCSVRowsAreSkippedWithAWarning() throws {
        let csv = "epoch,loss,val_loss\n0,0.9,1.0\n1,0.8\n2,0.7,0.9,5,5\n3,0.6,0.8\n4,0.5,0.7\n"
        let result = try analyze([try file("training.csv", csv)])
        XCTAssertEqual(result.status, 0, result.stderr)
        let run = try XCTUnwrap(try runs(result).first)
        XCTAssertEqual(run["epochs"] as? Int, 3)
        XCTAssertTrue(eventTexts(run).contains { $0.contains("2 rows were skipped") && $0.contains("line 3") }, "\(run["events"] ?? "")")
        XCTAssertTrue(result.stderr.contains("warning:") && result.stderr.contains("2 rows were skipped"), result.stderr)
        let text = try analyze([folder.appendingPathComponent("training.csv").path], format: "text")
        XCTAssertTrue(text.stdout.contains("⚠ input"), text.stdout)
    }

    // MARK: - JSON

    func testTruncatedJSONSaysItIsTruncated() throws {
        try assertRefused(try file("history.json", "{\"loss\": [0.9, 0.8, 0.7], \"val_loss\": [1.0, 0.9"), saying: "truncated")
    }

    func testDeeplyNestedJSONIsRefusedWithoutCrashing() throws {
        let nested = "{\"loss\": " + String(repeating: "[", count: 100_000)
        try assertRefused(try file("history.json", nested), saying: "nested deeper than JSON readers allow")
        let bare = try analyze([try file("brackets.json", String(repeating: "[", count: 100_000))])
        XCTAssertEqual(bare.status, 2, bare.stderr)
        XCTAssertEqual(try errors(bare).count, 1)
    }

    func testNumbersBeyondDoubleRangeAreReadAsInfinityAndSaidSo() throws {
        let history = "{\"loss\": [0.9, 1e999, 0.7], \"val_loss\": [1.0, -1e999, 0.8]}"
        let result = try analyze([try file("history.json", history)])
        XCTAssertEqual(result.status, 0, result.stderr)
        let run = try XCTUnwrap(try runs(result).first)
        let loss = try XCTUnwrap((run["metrics"] as? [String: Any])?["loss"] as? [String: Any])
        XCTAssertEqual((loss["values"] as? [Any])?[1] as? String, "Infinity", "\(loss)")
        XCTAssertTrue(eventTexts(run).contains { $0.contains("1e999 (and 1 more)") && $0.contains("read as inf") }, "\(run)")
        let findings = run["findings"] as? [[String: Any]] ?? []
        XCTAssertTrue(findings.contains { $0["rule"] as? String == "non-finite" }, "\(findings)")
    }

    // MARK: - TensorBoard

    /// A copy of the bundled sample's train event file, damaged by `damage`, alone in a run folder.
    private func damagedEventFile(_ name: String, _ damage: (inout Data) -> Void) throws -> String {
        let sample = CLIRunner.repository.appendingPathComponent(
            "samples/keras-tensorboard-overfitting/train/events.out.tfevents.1795388016.vm.1754.0.v2")
        var data = try Data(contentsOf: sample)
        damage(&data)
        return try file("\(name)/events.out.tfevents.1795388016.vm.1754.0.v2", data)
    }

    func testTensorBoardFileWithBadChecksumKeepsWhatCameBefore() throws {
        let path = try damagedEventFile("bad-crc") { data in data[data.count * 2 / 3] ^= 0xFF }
        let result = try analyze([path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let run = try XCTUnwrap(try runs(result).first)
        XCTAssertTrue(eventTexts(run).contains { $0.contains("checksum") }, "\(run["events"] ?? "")")
        XCTAssertTrue(result.stderr.contains("warning:"), result.stderr)
    }

    func testTruncatedTensorBoardFileKeepsWhatCameBefore() throws {
        let path = try damagedEventFile("truncated") { data in data.removeLast(data.count / 3) }
        let result = try analyze([path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(eventTexts(try XCTUnwrap(try runs(result).first)).contains { $0.contains("truncated file") })
    }

    func testTensorBoardFileDamagedFromItsStartIsRefused() throws {
        let path = try damagedEventFile("broken-header") { data in data[3] ^= 0xFF }
        try assertRefused(path, saying: "TensorBoard event file unreadable at record 1")
    }

    // MARK: - The file system

    func testUnreadableFileIsReported() throws {
        let locked = try file("locked.log", Self.kerasLog)
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: locked)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: locked) }
        try XCTSkipIf(FileManager.default.isReadableFile(atPath: locked),
                      "running as root: permissions do not stop reading (testReadErrorIsReported covers root)")
        try assertRefused(locked, saying: "cannot be read")
    }

    /// A read that fails for root too: the kernel refuses to read unmapped memory of /proc/self/mem.
    func testReadErrorIsReported() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/proc/self/mem"), "needs Linux /proc")
        try assertRefused("/proc/self/mem", saying: "cannot be read (Input/output error)")
    }

    func testDirectoryNamedLikeALogWithNothingInIt() throws {
        let directory = folder.appendingPathComponent("train.log")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try assertRefused(directory.path, saying: "no log files in this directory")
    }

    func testSymbolicLinkLoopsDoNotStopTheWalk() throws {
        let root = folder.appendingPathComponent("runs")
        try file("runs/sub/train.log", Self.kerasLog)
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: root.appendingPathComponent("sub/up").path, withDestinationPath: "..")
        try manager.createSymbolicLink(atPath: root.appendingPathComponent("self").path, withDestinationPath: ".")
        try manager.createSymbolicLink(atPath: root.appendingPathComponent("a.log").path, withDestinationPath: "b.log")
        try manager.createSymbolicLink(atPath: root.appendingPathComponent("b.log").path, withDestinationPath: "a.log")
        let result = try analyze([root.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(try runs(result).count, 1)
        try assertRefused(root.appendingPathComponent("a.log").path, saying: "symbolic link loop")
    }

    // MARK: - Patterns

    func testCatastrophicUserPatternHitsTheLimitAndIsReported() throws {
        let patterns = folder.appendingPathComponent("patterns")
        try file("patterns/evil.pcre", "@require round\n^round (?<epoch>\\d+) cost=(?<loss>(a+)+$)\n")
        let lines = (1...200).map { "round \($0) cost=\(String(repeating: "a", count: 40))!" }
        let log = try file("rounds.log", lines.joined(separator: "\n") + "\n")
        let started = Date()
        let result = try analyze([log], extra: ["--patterns", patterns.path])
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "the match limit must stop the backtracking")
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("evil.pcre:2") && result.stderr.contains("backtracking limit"), result.stderr)
    }

    // MARK: - Text that tries to break the report

    private static let hostileText = "<script>alert(1)</script> | `rm -rf` \u{1B}[31mRED\u{1B}[0m \u{1B}]0;title\u{07} \u{9B}2J \u{202E}txt.exe"

    private func hostileRun() throws -> String {
        let label = Self.hostileText.replacingOccurrences(of: ",", with: " ")
        let csv = "run,epoch,loss\n\"\(label)\",0,0.9\n\"\(label)\",1,0.8\n"
        return try file("label.csv", csv)
    }

    private func hostileCrash() throws -> String {
        try file("crash.log", Self.kerasLog + """
            Traceback (most recent call last):
              File "train.py", line 1, in <module>
            ValueError: \(Self.hostileText)

            """)
    }

    func testHostileTextIsEscapedInMarkdown() throws {
        let result = try analyze([try hostileRun(), try hostileCrash()], format: "markdown")
        XCTAssertEqual(result.status, 0, result.stderr)
        let markdown = result.stdout
        // Inside a fenced code block (the traceback) HTML is shown as text, so only the rest counts.
        XCTAssertFalse(Self.outsideFencedCode(markdown).contains("<script>"), "raw HTML in the report")
        XCTAssertTrue(markdown.contains("&lt;script&gt;"))
        XCTAssertFalse(markdown.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{9B}" || $0 == "\u{202E}" },
                       "terminal escapes or bidi overrides in the report")
        // Outside code spans and fences, the pipe and backticks are escaped so no table cell or code
        // span can be opened or closed by the log.
        let tableRows = markdown.split(separator: "\n").filter { $0.hasPrefix("|") && $0.contains("RED") }
        XCTAssertFalse(tableRows.isEmpty, markdown)
        for row in tableRows {
            XCTAssertFalse(row.contains(" | `rm"), "unescaped pipe in table row: \(row)")
        }
    }

    /// The Markdown lines that are not inside a ``` fence.
    private static func outsideFencedCode(_ markdown: String) -> String {
        var fence: Substring?
        var kept: [Substring] = []
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let ticks = line.prefix { $0 == "`" }
            if let open = fence {
                if ticks.count >= open.count && line.allSatisfy({ $0 == "`" }) { fence = nil }
            } else if ticks.count >= 3 {
                fence = ticks
            } else {
                kept.append(line)
            }
        }
        return kept.joined(separator: "\n")
    }

    func testHostileTextIsStrippedInTerminalOutput() throws {
        let result = try analyze([try hostileRun(), try hostileCrash()], format: "text")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("RED"), result.stdout)
        for scalar: Unicode.Scalar in ["\u{1B}", "\u{9B}", "\u{07}", "\u{202E}"] {
            XCTAssertFalse(result.stdout.unicodeScalars.contains(scalar), "U+\(String(scalar.value, radix: 16)) in: \(result.stdout)")
        }
    }

    func testHostileFileNameIsStrippedInErrorMessages() throws {
        let path = try file("bad\u{1B}[2Jname.log", "")
        let result = try analyze([path], format: "text")
        XCTAssertEqual(result.status, 2)
        XCTAssertFalse(result.stderr.unicodeScalars.contains("\u{1B}"), result.stderr)
        XCTAssertFalse(result.stdout.unicodeScalars.contains("\u{1B}"), result.stdout)
    }

    // MARK: - A batch

    func testBatchGoesOnPastEveryHostileInput() throws {
        try file("batch/good.log", Self.kerasLog)
        try file("batch/empty.log", "")
        try file("batch/binary.out", Data([0x00, 0x01, 0xFF, 0x00] + Array(repeating: 0x00, count: 4096)))
        try file("batch/truncated.json", "{\"loss\": [0.5, 0.4")
        try file("batch/nested.json", "{\"a\": " + String(repeating: "[", count: 10_000))
        try file("batch/ragged.csv", "epoch,loss\n0,0.5\n1,0.4,9\n2,0.3\n")
        let result = try analyze([folder.appendingPathComponent("batch").path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let sources = try runs(result).compactMap { ($0["source"] as? String).map { ($0 as NSString).lastPathComponent } }
        XCTAssertEqual(Set(sources), ["good.log", "ragged.csv"])
        let messages = try errors(result)
        XCTAssertEqual(messages.count, 4, "\(messages)")
        for name in ["empty.log", "binary.out", "truncated.json", "nested.json"] {
            XCTAssertTrue(messages.contains { $0.contains(name) }, "no error for \(name): \(messages)")
        }
    }
}
