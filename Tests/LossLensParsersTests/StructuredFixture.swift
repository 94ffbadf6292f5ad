import Foundation
import XCTest
import LossLensTestSupport
@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensParsers

/// Loads the structured-format fixtures (trimmed copies of real logs) bundled with the tests.
enum StructuredFixture {
    static func url(_ path: String) throws -> URL {
        try TestFixtures.url(path)
    }

    static func data(_ path: String) throws -> Data {
        try Data(contentsOf: url(path))
    }

    static func input(_ path: String) throws -> LogInput {
        LogInput(source: path, data: try data(path))
    }

    /// The event files of the keras-healthy-s11 TensorBoard folder, as InputCollector groups them.
    static func kerasBoard() throws -> LogInput {
        let folder = "keras-healthy-s11/tb"
        let files = try ["train", "validation"].map { split -> (relativePath: String, data: Data) in
            let directory = try url("\(folder)/\(split)")
            let name = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: directory.path).first)
            return ("\(split)/\(name)", try Data(contentsOf: directory.appendingPathComponent(name)))
        }
        return LogInput(source: folder, data: Data(), eventFiles: files)
    }

    /// `history.json` of keras-healthy-s11, the reference the other artifacts of that run must match.
    static func kerasHistory() throws -> [String: [Double]] {
        let object = try JSONSerialization.jsonObject(with: data("keras-healthy-s11/history.json"))
        return try XCTUnwrap(object as? [String: [Double]])
    }
}

/// Values read through different number parsers (Foundation's JSON reader is off by an ulp on Linux)
/// or stored as float32 (TensorBoard) agree to `tolerance`, relative.
func assertValues(
    _ actual: [Double]?, _ expected: [Double]?, tolerance: Double = 1e-12, file: StaticString = #filePath, line: UInt = #line
) {
    guard let actual, let expected else {
        return XCTFail("missing series: \(String(describing: actual)) vs \(String(describing: expected))", file: file, line: line)
    }
    XCTAssertEqual(actual.count, expected.count, "value count", file: file, line: line)
    for (index, (a, e)) in zip(actual, expected).enumerated() where abs(a - e) > tolerance * max(1, abs(e)) {
        XCTFail("value \(index): \(a) != \(e)", file: file, line: line)
    }
}

extension LogContent {
    /// All the bytes, for tests that damage an event file.
    func wholeData() throws -> Data {
        try bytes(in: 0..<byteCount)
    }
}
