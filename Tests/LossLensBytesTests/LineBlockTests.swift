import Foundation
import XCTest

@_spi(Layers) @testable import LossLensBytes

/// Blocks cut at fixed offsets give every line to exactly one worker: the one whose range holds the
/// line's first byte, which reads on to the line's end.
final class LineBlockTests: XCTestCase {
    private func randomLog(using generator: inout some RandomNumberGenerator) -> [UInt8] {
        var log: [UInt8] = []
        for _ in 0..<Int.random(in: 0...40, using: &generator) {
            let length = [0, 1, 5, 30, 300].randomElement(using: &generator)!
            log += (0..<length).map { _ in UInt8(ascii: "a") + UInt8.random(in: 0...25, using: &generator) }
            log.append(0x0A)
        }
        if Bool.random(using: &generator) { log += Array("last line without a newline".utf8) }
        return log
    }

    /// The lines of every block, in order, and the offsets they start at.
    private func linesByBlock(of log: [UInt8], blockBytes: Int, lineCap: Int = 1 << 20) throws -> [(offset: Int, bytes: [UInt8], overlong: Bool)] {
        let reader = DataPositionalReader(data: Data(log))
        let block = LineBlock()
        return try withExtendedLifetime(block) {
            try stride(from: 0, to: log.count, by: blockBytes).map { start in
                let lines = try block.load(linesStartingIn: start..<min(log.count, start + blockBytes), from: reader, lineCap: lineCap)
                return (lines.offset, Array(lines.bytes), lines.reachesOverlongLine)
            }
        }
    }

    func testEveryLineIsReadOnceByTheBlockItStartsIn() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let log = randomLog(using: &generator)
            for blockBytes in [1, 2, 7, 64, 301, 4096] {
                let blocks = try linesByBlock(of: log, blockBytes: blockBytes)
                XCTAssertEqual(blocks.flatMap(\.bytes), log, "blocks of \(blockBytes) bytes")
                for (index, block) in blocks.enumerated() where !block.bytes.isEmpty {
                    let range = index * blockBytes..<(index + 1) * blockBytes
                    XCTAssertTrue(range.contains(block.offset), "block \(index) starts in its range")
                    XCTAssertTrue(block.offset == 0 || log[block.offset - 1] == 0x0A, "block \(index) starts a line")
                    XCTAssertEqual(Array(log[block.offset..<block.offset + block.bytes.count]), block.bytes)
                    XCTAssertFalse(block.overlong)
                }
            }
        }
    }

    func testALineReachingTheCapIsReportedAndNotReadToItsEnd() throws {
        let log = Array("short\n".utf8) + Array(repeating: UInt8(ascii: "x"), count: 5000) + Array("\nafter\n".utf8)
        let blocks = try linesByBlock(of: log, blockBytes: 16, lineCap: 100)
        XCTAssertTrue(blocks[0].overlong, "the first block's last line runs past the cap")
        XCTAssertLessThan(blocks[0].bytes.count, 5000, "reading stops near the cap")
        XCTAssertTrue(blocks.dropFirst().allSatisfy { $0.bytes.isEmpty || !$0.overlong })
    }

    func testAFileIsReadLikeMemory() throws {
        var generator = SystemRandomNumberGenerator()
        // A loop, not `flatMap` over a closure that captures the generator: ThreadSanitizer's
        // runtime crashed on that capture (a fault inside its own access check).
        var log: [UInt8] = []
        for _ in 0..<50 { log += randomLog(using: &generator) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("line-block-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(log).write(to: url)
        let reader = try LogContent.file(path: url.path, size: log.count).makePositionalReader()
        let block = LineBlock()
        var read: [UInt8] = []
        try withExtendedLifetime(block) {
            for start in stride(from: 0, to: log.count, by: 333) {
                read += try block.load(linesStartingIn: start..<min(log.count, start + 333), from: reader, lineCap: 1 << 20).bytes
            }
        }
        XCTAssertEqual(read, log)
    }

    func testAFileCutShortAfterOpeningEndsWhereItEnds() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("line-block-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("one\ntwo\n".utf8).write(to: url)
        // The size it had when the input was made is larger than what is there now.
        let reader = try LogContent.file(path: url.path, size: 100).makePositionalReader()
        // The lines point into the block's storage: the block must outlive reading them.
        let block = LineBlock()
        let read = try withExtendedLifetime(block) {
            Array(try block.load(linesStartingIn: 0..<100, from: reader, lineCap: 1 << 20).bytes)
        }
        XCTAssertEqual(String(decoding: read, as: UTF8.self), "one\ntwo\n")
    }
}
