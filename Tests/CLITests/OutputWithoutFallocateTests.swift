import Foundation
import XCTest

/// A hard-linked `--output` is rewritten in place after its room is reserved. On a file system
/// without `fallocate` (ext2 here, NFSv3 elsewhere) glibc reserves it by reading and rewriting a
/// byte of each block, which a file opened for writing only refused with "Bad file descriptor".
/// Needs a loop mount, so it runs only where the tests may mount (as root in a container).
final class OutputWithoutFallocateTests: XCTestCase {
    private var mountPoint: URL!
    private let manager = FileManager.default

    private func shell(_ script: String) throws -> Int32 {
        try CLIRunner.run(["-c", script], executable: URL(fileURLWithPath: "/bin/sh")).status
    }

    override func setUpWithError() throws {
        try XCTSkipUnless(manager.isExecutableFile(atPath: CLIRunner.binary.path), "losslens binary not built")
        try XCTSkipUnless(getuid() == 0, "mounting an ext2 image needs root")
        let folder = manager.temporaryDirectory.appendingPathComponent("losslens-ext2-\(UUID().uuidString)")
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        let image = folder.appendingPathComponent("fs.img").path
        mountPoint = folder.appendingPathComponent("mnt")
        try manager.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let made = try shell("""
            dd if=/dev/zero of='\(image)' bs=1M count=8 2>/dev/null && mkfs.ext2 -q -F '\(image)' >/dev/null 2>&1 \
            && mount -o loop '\(image)' '\(mountPoint.path)' 2>/dev/null
            """)
        addTeardownBlock { [mountPoint] in
            _ = try? self.shell("umount '\(mountPoint!.path)' 2>/dev/null")
            try? FileManager.default.removeItem(at: folder)
        }
        try XCTSkipUnless(made == 0, "no ext2 loop mount here (mkfs.ext2 or mount -o loop unavailable)")
    }

    func testAHardLinkedReportIsRewrittenWhereRoomCannotBeReserved() throws {
        let log = mountPoint.appendingPathComponent("train.log").path
        try Data((1...6).map { "Epoch \($0)/6, Loss: \(1.0 / Double($0))\n" }.joined().utf8).write(to: URL(fileURLWithPath: log))
        let report = mountPoint.appendingPathComponent("report.md").path
        // Larger than the new report: the reservation reads blocks that hold data.
        try Data(String(repeating: "an old report line\n", count: 5000).utf8).write(to: URL(fileURLWithPath: report))
        let other = mountPoint.appendingPathComponent("latest.md").path
        try manager.linkItem(atPath: report, toPath: other)
        let result = try CLIRunner.run(["analyze", "--fail-on", "never", "--output", report, log])
        XCTAssertEqual(result.status, 0, result.stderr)
        let written = (try? String(contentsOfFile: other, encoding: .utf8)) ?? ""
        XCTAssertTrue(written.hasPrefix("# losslens report"), "the other name sees the new report")
        XCTAssertFalse(written.contains("an old report line"), "nothing of the old report is left")
    }
}
