import Foundation
import XCTest

import LossLensTestSupport
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// Loads the console fixtures (trimmed copies of real logs) and reads them with the bundled dialects.
enum ConsoleFixtures {
    static func data(_ name: String) throws -> Data {
        let url = try TestFixtures.url("consoles/\(name)")
        return try Data(contentsOf: url)
    }

    static func runs(_ name: String, library: PatternLibrary? = nil) throws -> [Run] {
        try runs(data: data(name), source: name, library: library)
    }

    static func runs(text: String, library: PatternLibrary? = nil) throws -> [Run] {
        try runs(data: Data(text.utf8), source: "inline.log", library: library)
    }

    static func runs(data: Data, source: String, library: PatternLibrary? = nil) throws -> [Run] {
        let parser = ConsoleParser(library: try library ?? PatternLibrary.bundled())
        return try parser.parse(LogInput(source: source, data: data))
    }

    static func onlyRun(_ name: String) throws -> Run {
        let runs = try runs(name)
        XCTAssertEqual(runs.count, 1, "\(name): expected one run, got \(runs.map(\.name))")
        return try XCTUnwrap(runs.first)
    }
}

/// Compares at the precision a log prints (4 decimals), so 0.8490000000000001 equals 0.849.
func XCTAssertValues(
    _ actual: [Double]?, _ expected: [Double], accuracy: Double = 1e-9, file: StaticString = #filePath, line: UInt = #line
) {
    guard let actual else { return XCTFail("series missing", file: file, line: line) }
    XCTAssertEqual(actual.count, expected.count, "values \(actual) vs \(expected)", file: file, line: line)
    for (a, e) in zip(actual, expected) where !(a.isNaN && e.isNaN) {
        XCTAssertEqual(a, e, accuracy: accuracy, "values \(actual) vs \(expected)", file: file, line: line)
    }
}
