import Foundation
import XCTest

import LossLensTestSupport
@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// Reading a console log in blocks on several workers must give what reading it in order gives.
/// Tiny blocks put block ends everywhere: inside redraw runs, tracebacks and `evaluate: dev` spans.
final class ParallelConsoleReadingTests: XCTestCase {
    private func runs(_ data: Data, workers: Int, blockBytes: Int = 64) throws -> String {
        let parser = ConsoleParser(library: try PatternLibrary.bundled())
        // Every line with redraws is read as `RedrawnStates`, not only long ones.
        let runs = try parser.parse(content: .memory(data), source: "x.log", blockWorkers: workers, blockBytes: blockBytes, redrawnLineBytes: 0)
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
        let directory = try TestFixtures.url("consoles")
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

    /// Lines of a few digit shapes in random order go through their shape's template in blocks;
    /// lines of a known shape that it cannot read (a power of ten past 22, a callback line, a split
    /// stated on its own line) are read in full, as in order.
    func testLinesOfKnownShapesReadTheSameInBlocks() throws {
        var generator = SystemRandomNumberGenerator()
        var log = ""
        for step in 1...3000 {
            let loss = ["2.3", "2.36", "2.356"].randomElement(using: &generator)!
            let exponent = step % 97 == 0 ? "-30" : "-05"
            log += "{'loss': '\(loss)', 'grad_norm': '1.\(step % 10)', 'learning_rate': '5e\(exponent)', 'epoch': '\(Double(step) / 1000)'}\n"
            if step % 1000 == 0 { log += "{'eval_loss': '1.\(step)', 'epoch': '\(step / 1000).0'}\n" }
        }
        try assertSameInBlocks(Data(log.utf8), "HF dicts", blockSizes: [100, 4096, 1 << 16])
        let run = try XCTUnwrap(try ConsoleParser(library: try PatternLibrary.bundled())
            .parse(content: .memory(Data(log.utf8)), source: "x.log", blockWorkers: 2, blockBytes: 4096).first)
        let learningRates = try XCTUnwrap(run.series.first { $0.name.base == "lr" })
        XCTAssertEqual(learningRates.points.count, 3000)
        XCTAssertEqual(learningRates.points.filter { $0.value == 5e-30 }.count, 3000 / 97)

        var torch = ""
        for epoch in 1...30 {
            for step in stride(from: 1, through: 900, by: 7) {
                torch += "2026-11-22 10:00:00,000 - train - INFO - Epoch \(epoch)/30, step \(step)/900, loss = \(1.0 / Double(epoch * step)), lr = 1.0e-03\n"
            }
            if epoch % 10 == 0 { torch += "Epoch \(epoch): early stopping counter 1 of 5\nevaluate: dev\nloss = 0.\(epoch)\n" }
        }
        try assertSameInBlocks(Data(torch.utf8), "PyTorch steps", blockSizes: [100, 4096, 1 << 16])
    }

    func testLongProgressBarLinesReadTheSameInBlocks() throws {
        var generator = SystemRandomNumberGenerator()
        var log: [UInt8] = []
        for epoch in 1...12 {
            log += Array("Epoch \(epoch)/12\n".utf8)
            log += SampleLines.progressBar(count: Int.random(in: 40...400, using: &generator), using: &generator)
            if epoch == 5 { log += Array("\u{1b}[".utf8) + [0x0D] + Array("5/5 - loss: 0.2".utf8) }
            log.append(0x0A)
        }
        XCTAssertGreaterThan(log.count, 12 * RedrawnStates.minimumBytes)
        try assertSameInBlocks(Data(log), "progress bars", blockSizes: [1 << 16])
    }
}
