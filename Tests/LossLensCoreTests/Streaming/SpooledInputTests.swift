import Foundation
import XCTest

@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers
@_spi(Layers) @testable import LossLensReport

final class SpooledInputTests: XCTestCase {
    private func spool(_ data: Data, memoryLimit: Int) throws -> SpooledInput {
        let pipe = Pipe()
        let writer = Thread {
            pipe.fileHandleForWriting.write(data)
            try? pipe.fileHandleForWriting.close()
        }
        writer.start()
        return try SpooledInput(reading: pipe.fileHandleForReading.fileDescriptor, memoryLimit: memoryLimit)
    }

    private func log(lines: Int) -> Data {
        Data((1...lines).map { "Epoch \($0)/\(lines), loss = \(1.0 / Double($0))\n" }.joined().utf8)
    }

    func testSmallInputStaysInMemory() throws {
        let data = log(lines: 20)
        let spooled = try spool(data, memoryLimit: 1 << 20)
        guard case let .memory(held) = spooled.input.content else { return XCTFail("expected memory content") }
        XCTAssertEqual(held, data)
    }

    func testLargeInputIsReadFromATemporaryFileThatGoesAway() throws {
        let data = log(lines: 3000)
        var spooled: SpooledInput? = try spool(data, memoryLimit: 1000)
        guard case let .file(path, size)? = spooled?.input.content else { return XCTFail("expected file content") }
        XCTAssertEqual(size, data.count)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), data)
        XCTAssertEqual(spooled?.input.source, "-")
        let fromSpool = try Analyzer().parse(try XCTUnwrap(spooled?.input))
        XCTAssertEqual(fromSpool, try Analyzer().parse(LogInput(source: "-", data: data)))
        spooled = nil
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "the temporary file is removed")
    }
}
