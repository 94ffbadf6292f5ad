import Foundation
import XCTest

@testable import LossLensCore

/// Reading a console log in blocks on several workers must give what reading it in order gives.
/// Tiny blocks put block ends everywhere: inside redraw runs, tracebacks and `evaluate: dev` spans.
final class ParallelConsoleReadingTests: XCTestCase {
    private func runs(_ data: Data, workers: Int, blockBytes: Int = 64) throws -> String {
        let parser = ConsoleParser(library: try PatternLibrary.bundled())
        let runs = try parser.parse(content: .memory(data), source: "x.log", blockWorkers: workers, blockBytes: blockBytes)
        // Described, not compared with ==: NaN values are not equal to themselves.
        return String(describing: runs)
    }

    private func assertSameInBlocks(
        _ data: Data, _ name: String, blockSizes: [Int] = [16, 200, 4096], file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let inOrder = try runs(data, workers: 1)
        for blockBytes in blockSizes {
            XCTAssertEqual(try runs(data, workers: 3, blockBytes: blockBytes), inOrder, "\(name), blocks of \(blockBytes) bytes",
                           file: file, line: line)
        }
    }

    func testEveryConsoleFixtureReadsTheSameInBlocks() throws {
        let directory = try XCTUnwrap(Bundle.module.resourceURL).appendingPathComponent("Fixtures/consoles")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".log") }.sorted()
        XCTAssertGreaterThan(names.count, 10)
        for name in names where name != "lightning-rich.log" {
            try assertSameInBlocks(try ConsoleFixtures.data(name), name)
        }
    }

    func testASplitStatedOnItsOwnLineIsAppliedAcrossBlocks() throws {
        let data = try ConsoleFixtures.data("torch-conll-eval.log")
        let parallel = try runs(data, workers: 2, blockBytes: 200)
        XCTAssertEqual(parallel, try runs(data, workers: 1))
        XCTAssertTrue(parallel.contains("dev") || parallel.contains("validation"), "the dev split is read")
    }

    func testATracebackCutByBlocksIsTheCrash() throws {
        var log = (1...40).map { "Epoch \($0)/40, loss = \(1.0 / Double($0))\n" }.joined()
        log += "Traceback (most recent call last):\n  File \"train.py\", line 3, in <module>\n    main()\n"
        log += "RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB\n"
        let data = Data(log.utf8)
        try assertSameInBlocks(data, "traceback")
        let parser = ConsoleParser(library: try PatternLibrary.bundled())
        let run = try XCTUnwrap(try parser.parse(content: .memory(data), source: "x.log", blockWorkers: 2, blockBytes: 50).last)
        XCTAssertEqual(run.crash?.exceptionType, "RuntimeError")
        XCTAssertEqual(run.crash?.line, 44)
    }

    func testALineOverTheCapIsReadInOrder() throws {
        var data = Data("Epoch 1/2, loss = 0.9\n".utf8)
        data.append(Data(repeating: UInt8(ascii: "q"), count: LineStream.lineCap + 10))
        data.append(Data("\nEpoch 2/2, loss = 0.5\n".utf8))
        try assertSameInBlocks(data, "long line", blockSizes: [1 << 16, 1 << 18])
    }

    func testAFileIsReadInBlocksLikeMemory() throws {
        let data = try ConsoleFixtures.data("torch-crash.log")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("blocks-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: url) }
        try data.write(to: url)
        let parser = ConsoleParser(library: try PatternLibrary.bundled())
        let fromFile = try parser.parse(content: .file(path: url.path, size: data.count), source: "x.log", blockWorkers: 2, blockBytes: 100)
        XCTAssertEqual(String(describing: fromFile), try runs(data, workers: 1))
    }

    func testAPatternErrorInAWorkerIsThrown() throws {
        let library = try PatternLibrary(dialects: [
            PatternDialect(name: "slow", file: "slow.pcre", contents: "@format pytorch-console\nloss: (?<loss>[\\d.]+)\n^(a+)+$\n"),
        ])
        // Past the lines the dialect is chosen on, so the failing line is met by a worker.
        var log = (1...(ConsoleParser.sniffLines + 100)).map { "loss: 0.\($0)\n" }.joined()
        log += String(repeating: "a", count: 40) + "b\n"
        let parser = ConsoleParser(library: library)
        var inOrder: Error?
        XCTAssertThrowsError(try parser.parse(content: .memory(Data(log.utf8)), source: "x.log", blockWorkers: 1)) { inOrder = $0 }
        XCTAssertThrowsError(try parser.parse(content: .memory(Data(log.utf8)), source: "x.log", blockWorkers: 2, blockBytes: 64)) {
            XCTAssertEqual($0.localizedDescription, inOrder?.localizedDescription)
            XCTAssertTrue($0.localizedDescription.contains("slow.pcre"), $0.localizedDescription)
        }
    }
}
