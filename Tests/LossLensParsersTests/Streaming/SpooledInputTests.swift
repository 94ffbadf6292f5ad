import Foundation
import XCTest

@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

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

    func testLargeInputIsReadFromAnUnnamedTemporaryFile() throws {
        let data = log(lines: 3000)
        let spooled = try spool(data, memoryLimit: 1000)
        guard case let .spooled(_, size) = spooled.input.content else { return XCTFail("expected spooled content") }
        XCTAssertEqual(size, data.count)
        XCTAssertEqual(try spooled.input.content.bytes(in: 0..<size), data)
        XCTAssertEqual(spooled.input.source, "-")
        let fromSpool = try Analyzer().parse(spooled.input)
        XCTAssertEqual(fromSpool, try Analyzer().parse(LogInput(source: "-", data: data)))
    }

    /// A stream of zeros is refused from its first kilobytes, while its writer still writes.
    func testBinaryStreamIsRefusedWithoutReadingToItsEnd() throws {
        // The writer's last write meets a closed pipe: an error, not the end of the test process.
        signal(SIGPIPE, SIG_IGN)
        let pipe = Pipe()
        let writer = Thread {
            // Far more than a pipe holds: the writer blocks until the reader closes its end.
            for _ in 0..<1000 { try? pipe.fileHandleForWriting.write(contentsOf: Data(count: 64 << 10)) }
        }
        writer.start()
        XCTAssertThrowsError(try SpooledInput(reading: pipe.fileHandleForReading.fileDescriptor, memoryLimit: 1 << 20)) { error in
            XCTAssertEqual(error as? LossLensError, .binaryInput(source: "-"))
        }
        try pipe.fileHandleForReading.close()
    }

    func testStreamPastTheCapIsAnErrorNamingIt() throws {
        let data = log(lines: 3000)
        let pipe = Pipe()
        let writer = Thread {
            try? pipe.fileHandleForWriting.write(contentsOf: data)
            try? pipe.fileHandleForWriting.close()
        }
        writer.start()
        let stream = try ByteStream(descriptor: pipe.fileHandleForReading.fileDescriptor, name: "-")
        XCTAssertThrowsError(try SpooledInput(stream: stream, source: "-", memoryLimit: 1000, limit: 10_000)) { error in
            XCTAssertTrue(error.localizedDescription.contains("--max-spool"), error.localizedDescription)
        }
        try pipe.fileHandleForReading.close()
    }
}
