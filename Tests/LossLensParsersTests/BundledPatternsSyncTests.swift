import Foundation
import XCTest

@_spi(Layers) @testable import LossLensParsers

/// `BundledPatterns.swift` is generated from `patterns/`; a pattern edit without `scripts/embed-patterns`
/// would ship the old dialects.
final class BundledPatternsSyncTests: XCTestCase {
    func testBundledPatternsMatchThePatternDirectory() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let directory = root.appendingPathComponent("patterns")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".pcre") }.sorted()
        XCTAssertEqual(BundledPatterns.files.map(\.name), names, "run scripts/embed-patterns")
        for file in BundledPatterns.files {
            let onDisk = try String(contentsOf: directory.appendingPathComponent(file.name), encoding: .utf8)
            XCTAssertEqual(file.contents, onDisk, "\(file.name) changed: run scripts/embed-patterns")
        }
    }
}
