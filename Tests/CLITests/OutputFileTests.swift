import Foundation
import XCTest

/// `--output`: a regular file is replaced whole or not at all, keeping its mode (and, where the
/// process may, its owner); anything else is written through in place; an input is never
/// overwritten; the path is checked before the work starts.
final class OutputFileTests: XCTestCase {
    private var folder: URL!
    private var log: String!
    private let manager = FileManager.default

    override func setUpWithError() throws {
        try XCTSkipUnless(manager.isExecutableFile(atPath: CLIRunner.binary.path), "losslens binary not built")
        folder = manager.temporaryDirectory.appendingPathComponent("losslens-output-\(UUID().uuidString)")
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { [folder] in try? FileManager.default.removeItem(at: folder!) }
        log = path("train.log")
        try write((1...6).map { "Epoch \($0)/6, Loss: \(1.0 / Double($0))\n" }.joined(), to: log)
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    private func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    private func read(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    private func analyze(output: String, format: String = "markdown", _ extra: [String] = []) throws -> CLIRunner.Result {
        try CLIRunner.run(["analyze", "--format", format, "--fail-on", "never", "--output", output] + extra + [log])
    }

    private func attributes(_ path: String) throws -> [FileAttributeKey: Any] { try manager.attributesOfItem(atPath: path) }

    /// Files in the folder other than the ones the test made: a left-over temporary file.
    private func leftovers() -> [String] {
        ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.contains(".losslens-") }
    }

    // MARK: - Regular files

    func testARegularFileIsReplacedKeepingItsMode() throws {
        let report = path("report.md")
        try write("old report\n", to: report)
        try manager.setAttributes([.posixPermissions: 0o640], ofItemAtPath: report)
        let result = try analyze(output: report)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(read(report).hasPrefix("# losslens report"))
        XCTAssertEqual((try attributes(report)[.posixPermissions] as? NSNumber)?.intValue, 0o640)
        XCTAssertEqual(leftovers(), [])
    }

    func testANewFileGetsTheUsualMode() throws {
        let report = path("new.md")
        XCTAssertEqual(try analyze(output: report).status, 0)
        let mode = (try attributes(report)[.posixPermissions] as? NSNumber)?.intValue ?? 0
        let mask = umask(0o022)
        umask(mask)
        XCTAssertEqual(mode, 0o666 & ~Int(mask), "as a shell's > would make it, not the 0600 of a temporary file")
    }

    /// As root the owner and group of a file made by another user are kept.
    func testTheOwnerIsKeptWhenTheProcessMayKeepIt() throws {
        try XCTSkipUnless(geteuid() == 0, "only root may give a file to another user")
        let report = path("owned.md")
        try write("old report\n", to: report)
        XCTAssertEqual(chown(report, 65534, 65534), 0)
        XCTAssertEqual(try analyze(output: report).status, 0)
        XCTAssertEqual((try attributes(report)[.ownerAccountID] as? NSNumber)?.intValue, 65534)
        XCTAssertEqual((try attributes(report)[.groupOwnerAccountID] as? NSNumber)?.intValue, 65534)
    }

    func testAHardLinkedFileIsRewrittenInPlace() throws {
        let report = path("report.md")
        let other = path("other-name.md")
        try write("old report\n", to: report)
        try manager.linkItem(atPath: report, toPath: other)
        XCTAssertEqual(try analyze(output: report).status, 0)
        XCTAssertTrue(read(other).hasPrefix("# losslens report"), "both names see the new report")
        XCTAssertEqual((try attributes(report)[.systemFileNumber] as? NSNumber), (try attributes(other)[.systemFileNumber] as? NSNumber))
    }

    func testASymbolicLinkStaysALinkAndItsTargetIsWritten() throws {
        let target = path("target.md")
        let link = path("link.md")
        try write("old report\n", to: target)
        try manager.createSymbolicLink(atPath: link, withDestinationPath: "target.md")
        XCTAssertEqual(try analyze(output: link).status, 0)
        XCTAssertEqual(try attributes(link)[.type] as? FileAttributeType, .typeSymbolicLink)
        XCTAssertTrue(read(target).hasPrefix("# losslens report"))
    }

    func testADanglingLinkMakesItsTarget() throws {
        let link = path("dangling.md")
        try manager.createSymbolicLink(atPath: link, withDestinationPath: "made-through-link.md")
        XCTAssertEqual(try analyze(output: link).status, 0)
        XCTAssertEqual(try attributes(link)[.type] as? FileAttributeType, .typeSymbolicLink)
        XCTAssertTrue(read(path("made-through-link.md")).hasPrefix("# losslens report"))
    }

    // MARK: - Failures leave the old report

    /// A file size limit stands in for a full disk: writes past it fail (EFBIG) as they would with ENOSPC.
    func testAWriteThatFailsLeavesTheOldReportAndNoPartialFile() throws {
        let report = path("report.json")
        try write("previous report\n", to: report)
        let result = try CLIRunner.run(
            ["analyze", "--format", "json", "--fail-on", "never", "--output", report, log], setup: "ulimit -f 1", redirections: "")
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertTrue(result.stderr.contains("cannot write the report to \(report): File too large"), result.stderr)
        XCTAssertEqual(read(report), "previous report\n")
        XCTAssertEqual(leftovers(), [], "the temporary file is removed")
    }

    func testAHardLinkedFileKeepsItsReportWhenTheNewOneCannotBeWritten() throws {
        let report = path("linked.json")
        try write("previous report\n", to: report)
        try manager.linkItem(atPath: report, toPath: path("linked-too.json"))
        let result = try CLIRunner.run(
            ["analyze", "--format", "json", "--fail-on", "never", "--output", report, log], setup: "ulimit -f 1", redirections: "")
        XCTAssertEqual(result.status, 2, result.stderr)
        XCTAssertEqual(read(report), "previous report\n")
    }

    // MARK: - Written through in place

    func testAFullDeviceIsWrittenThroughAndNotReplaced() throws {
        try XCTSkipUnless(manager.fileExists(atPath: "/dev/full"), "needs /dev/full")
        let result = try analyze(output: "/dev/full")
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("cannot write the report to /dev/full: No space left on device"), result.stderr)
        XCTAssertFalse(result.stderr.contains("Usage:"), result.stderr)
        XCTAssertEqual(try attributes("/dev/full")[.type] as? FileAttributeType, .typeCharacterSpecial, "the device node stays")
    }

    func testAFIFOIsWrittenThroughAndStaysAFIFO() throws {
        let fifo = path("report-pipe")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        // A reader on the FIFO, as `cat fifo > copy` would be.
        let copy = path("copy.md")
        let reader = try LiveProcessShell.start("cat \"$0\" > \"$1\"", [fifo, copy])
        XCTAssertEqual(try analyze(output: fifo).status, 0)
        reader.waitUntilExit()
        XCTAssertTrue(read(copy).hasPrefix("# losslens report"))
        XCTAssertEqual(try attributes(fifo)[.type] as? FileAttributeType, .typeUnknown, "still a FIFO (Foundation calls it unknown)")
    }

    func testDevStdoutWritesToStandardOutput() throws {
        let result = try analyze(output: "/dev/stdout")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("# losslens report"), result.stdout)
    }

    // MARK: - Inputs are never overwritten

    func testTheInputIsNotOverwritten() throws {
        let before = read(log)
        for output in [log!, "./" + (log as NSString).lastPathComponent] {
            let result = try CLIRunner.run(["analyze", "--output", output, log], currentDirectory: folder)
            XCTAssertEqual(result.status, 2)
            XCTAssertTrue(result.stderr.contains("is one of the inputs"), result.stderr)
        }
        XCTAssertEqual(read(log), before)
    }

    func testAnInputReachedThroughALinkOrAFolderIsNotOverwritten() throws {
        let before = read(log)
        let link = path("alias.log")
        try manager.createSymbolicLink(atPath: link, withDestinationPath: log)
        XCTAssertEqual(try CLIRunner.run(["analyze", "--output", link, log]).status, 2, "a link to the input")
        let hard = path("hard.log")
        try manager.linkItem(atPath: log, toPath: hard)
        XCTAssertEqual(try CLIRunner.run(["analyze", "--output", hard, log]).status, 2, "another name of the input")
        let inFolder = try CLIRunner.run(["analyze", "--output", log, folder.path])
        XCTAssertEqual(inFolder.status, 2, "a file read from a folder")
        XCTAssertTrue(inFolder.stderr.contains("is one of the inputs"), inFolder.stderr)
        XCTAssertEqual(read(log), before)
    }

    func testStandardInputRedirectedFromTheOutputFileIsNotOverwritten() throws {
        let before = read(log)
        let result = try CLIRunner.run(["analyze", "--output", log], redirections: "< \"\(log!)\"")
        XCTAssertEqual(result.status, 2)
        XCTAssertEqual(read(log), before)
    }

    // MARK: - Messages

    func testTheRealReasonIsGivenWithoutUsage() throws {
        let result = try analyze(output: path("train.log/report.md"))
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("Not a directory"), result.stderr)
        XCTAssertFalse(result.stderr.contains("Usage:"), result.stderr)
        let missingFolder = try analyze(output: path("no/such/folder/report.md"))
        XCTAssertTrue(missingFolder.stderr.contains("No such file or directory"), missingFolder.stderr)
        XCTAssertFalse(missingFolder.stderr.contains("Usage:"), missingFolder.stderr)
    }

    func testAKernelFileIsRefusedForWhatItIs() throws {
        try XCTSkipUnless(manager.fileExists(atPath: "/proc/version"), "needs Linux's /proc")
        let link = path("kernel-version")
        try manager.createSymbolicLink(atPath: link, withDestinationPath: "/proc/version")
        for output in ["/proc/version", "/proc/losslens-report.md", link] {
            let result = try analyze(output: output)
            XCTAssertEqual(result.status, 2, output)
            XCTAssertTrue(result.stderr.contains("the kernel's /proc file system"), result.stderr)
        }
        if manager.fileExists(atPath: "/sys/kernel") {
            let result = try analyze(output: "/sys/losslens-report.md")
            XCTAssertEqual(result.status, 2)
            XCTAssertTrue(result.stderr.contains("the kernel's /sys file system"), result.stderr)
        }
    }

    func testPermissionDeniedIsSaidAsSuch() throws {
        let locked = path("locked")
        try manager.createDirectory(atPath: locked, withIntermediateDirectories: true)
        try manager.setAttributes([.posixPermissions: 0o500], ofItemAtPath: locked)
        defer { try? manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: locked) }
        try XCTSkipIf(access(locked, W_OK) == 0, "running as root: permissions do not stop writing")
        let result = try analyze(output: locked + "/report.md")
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("Permission denied"), result.stderr)
    }

    func testTheOutputIsCheckedBeforeTheAnalysis() throws {
        // Standard input never ends: only a check made first can end the command.
        let process = try LiveProcess(["analyze", "--output", path("no/such/folder/report.md"), "-"], feedsInput: true, in: folder)
        defer { process.closeInput() }
        XCTAssertEqual(process.exitStatus(), 2)
        XCTAssertTrue(process.stderr.contains("No such file or directory"), process.stderr)
    }
}
