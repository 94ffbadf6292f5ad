import Foundation
import PCRE2
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensParsers
import XCTest

final class PatternFileTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-patterns-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func testBadRegexNamesFileLineAndOffset() {
        XCTAssertThrowsError(try PatternDialect(name: "mine", file: "mine.pcre", contents: "# comment\n@require x\n^Epoch (?<epoch>\\d+\n")) {
            error in
            guard case let PCRE2Error.compile(_, offset, _, origin) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(origin, PatternOrigin(file: "mine.pcre", line: 3))
            XCTAssertEqual(offset, 19)
            let message = error.localizedDescription
            XCTAssertTrue(message.hasPrefix("mine.pcre:3: "), message)
            XCTAssertTrue(message.contains("offset 19"), message)
        }
    }

    func testUnknownDirectiveIsNamed() {
        XCTAssertThrowsError(try PatternDialect(name: "mine", file: "mine.pcre", contents: "@requires loss\n^loss (?<loss>\\S+)$\n")) {
            error in
            XCTAssertEqual(error as? PatternFileError, .unknownDirective("@requires", origin: PatternOrigin(file: "mine.pcre", line: 1)))
            XCTAssertTrue(error.localizedDescription.contains("@strip"), error.localizedDescription)
        }
    }

    func testDirectiveArgumentsAreChecked() {
        XCTAssertThrowsError(try PatternDialect(name: "m", file: "m.pcre", contents: "@first-epoch 2\n^x (?<loss>\\S+)$\n")) {
            XCTAssertEqual($0 as? PatternFileError, .badFirstEpoch("2", origin: PatternOrigin(file: "m.pcre", line: 1)))
        }
        XCTAssertThrowsError(try PatternDialect(name: "m", file: "m.pcre", contents: "@strip\n^x (?<loss>\\S+)$\n")) {
            XCTAssertEqual($0 as? PatternFileError, .missingArgument("@strip", origin: PatternOrigin(file: "m.pcre", line: 1)))
        }
    }

    func testUserPatternDirectoryAddsADialect() throws {
        let directory = try temporaryDirectory()
        let file = """
            # A trainer that prints "[12:00:01] round 3 cost=0.52 dev-acc=71.5"
            @format pytorch-console
            @require round
            @strip ^\\[\\d\\d:\\d\\d:\\d\\d\\]\\s*
            @first-epoch 0
            ^round (?<epoch>\\d+) (?<metrics>.*)$
            """
        try file.write(to: directory.appendingPathComponent("rounds.pcre"), atomically: true, encoding: .utf8)
        let library = try PatternLibrary.bundled(adding: directory.path)
        XCTAssertEqual(library.dialects.first?.name, "rounds")
        XCTAssertEqual(library.dialects.count, try PatternLibrary.bundled().dialects.count + 1)
        let log = "[12:00:01] round 0 cost=0.90 dev-acc=61.5\n[12:00:02] round 1 cost=0.70 dev-acc=71.5\n"
        let run = try XCTUnwrap(ConsoleFixtures.runs(text: log, library: library).first)
        XCTAssertEqual(run.values("cost"), [0.9, 0.7])
        XCTAssertValues(run.values("val_acc"), [0.615, 0.715])
        XCTAssertEqual(run.epochs("cost"), [1, 2])
    }

    func testUserFileWithABundledNameReplacesIt() throws {
        let directory = try temporaryDirectory()
        try "@format keras-console\n^Epoch (?<epoch>\\d+) loss=(?<loss>\\S+)$\n"
            .write(to: directory.appendingPathComponent("keras-console.pcre"), atomically: true, encoding: .utf8)
        let library = try PatternLibrary.bundled(adding: directory.path)
        XCTAssertEqual(library.dialects.filter { $0.name == "keras-console" }.count, 1)
        XCTAssertEqual(library.dialects.first { $0.name == "keras-console" }?.patterns.count, 1)
    }

    func testCatastrophicUserPatternEndsWithAClearErrorQuickly() throws {
        let directory = try temporaryDirectory()
        try "^(a+)+$\n".write(to: directory.appendingPathComponent("evil.pcre"), atomically: true, encoding: .utf8)
        let analyzer = try Analyzer(options: AnalysisOptions(patternsDirectory: directory.path))
        let log = "Epoch 1/2\n10/10 - 1s - loss: 0.5000\n" + String(repeating: "a", count: 64) + "b\n"
        let started = Date()
        XCTAssertThrowsError(try analyzer.parse(LogInput(source: "train.log", data: Data(log.utf8)))) { error in
            guard case let PCRE2Error.matchLimitExceeded(_, origin) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(origin?.line, 1)
            XCTAssertTrue(error.localizedDescription.contains("evil.pcre:1"), error.localizedDescription)
            XCTAssertTrue(error.localizedDescription.contains("catastrophic"), error.localizedDescription)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }
}
