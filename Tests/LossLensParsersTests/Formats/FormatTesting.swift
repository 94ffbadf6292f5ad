import Foundation
import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// Reads small logs the way `losslens analyze` does: every parser, chosen by content.
enum FormatTesting {
    static func runs(_ text: String, source: String = "train.log") throws -> [Run] {
        try runs(data: Data(text.utf8), source: source)
    }

    static func runs(data: Data, source: String) throws -> [Run] {
        try Analyzer().parse(LogInput(source: source, data: data))
    }

    static func onlyRun(_ text: String, source: String = "train.log", file: StaticString = #filePath, line: UInt = #line) throws -> Run {
        let found = try runs(text, source: source)
        XCTAssertEqual(found.count, 1, "runs: \(found.map(\.name))", file: file, line: line)
        return try XCTUnwrap(found.first, file: file, line: line)
    }

    /// A temporary folder, removed by the caller's `defer`.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("losslens-formats-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}

extension Run {
    var hasGenericNote: Bool { notes.contains(GenericConsoleParser.note) }
}
