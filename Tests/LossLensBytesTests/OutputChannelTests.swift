import Foundation
import XCTest

@_spi(Layers) @testable import LossLensBytes

/// Writes that record their failure instead of trapping, and the replacement of `##[` across the
/// pieces a report is written in.
final class OutputChannelTests: XCTestCase {
    private func written(_ pieces: [String], replacing pattern: String = "##[", with replacement: String = "##\\u005b") throws -> String {
        let pipe = Pipe()
        let channel = OutputChannel(descriptor: pipe.fileHandleForWriting.fileDescriptor, name: "pipe")
        channel.replacing(pattern, with: replacement)
        for piece in pieces { channel.write(piece) }
        channel.flush()
        try pipe.fileHandleForWriting.close()
        XCTAssertNil(channel.failure)
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    func testThePatternIsReplacedWhereverThePiecesEnd() throws {
        let text = "a ##[error] b ###[ c ##"
        let expected = "a ##\\u005berror] b ###\\u005b c ##"
        XCTAssertEqual(try written([text]), expected)
        for cut in 1..<text.utf8.count {
            let bytes = Array(text.utf8)
            let pieces = [String(decoding: bytes[..<cut], as: UTF8.self), String(decoding: bytes[cut...], as: UTF8.self)]
            XCTAssertEqual(try written(pieces), expected, "cut at \(cut)")
        }
        XCTAssertEqual(try written(["#", "#", "[", "#"]), "##\\u005b#")
    }

    func testAFullDeviceIsAFailureNotATrap() throws {
        try XCTSkipUnless(FileManager.default.fileExists(atPath: "/dev/full"), "needs /dev/full")
        let descriptor = open("/dev/full", O_WRONLY)
        defer { close(descriptor) }
        let channel = OutputChannel(descriptor: descriptor, name: "/dev/full")
        channel.write("report\n")
        XCTAssertEqual(channel.failure, ENOSPC)
        XCTAssertFalse(channel.readerClosed)
        channel.write("more")
        XCTAssertEqual(channel.failure, ENOSPC, "the first failure is kept")
    }

    func testAClosedPipeIsAReaderThatWentAway() throws {
        signal(SIGPIPE, SIG_IGN)
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let channel = OutputChannel(descriptor: pipe.fileHandleForWriting.fileDescriptor, name: "pipe")
        channel.write("report\n")
        XCTAssertTrue(channel.readerClosed)
    }

    func testAByteCountIsParsedAndDescribed() {
        XCTAssertEqual(ByteCount.parse("1T"), 1 << 40)
        XCTAssertNil(ByteCount.parse("-5"))
        XCTAssertEqual(ByteCount.describe(1 << 20), "1 MiB")
    }
}
