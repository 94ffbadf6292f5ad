import XCTest
@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensModel

final class CrashCatalogTests: XCTestCase {
    private func entryName(_ type: String, _ message: String) -> String? {
        CrashCatalog.entry(for: Crash(exceptionType: type, message: message, line: 1))?.entry.name
    }

    func testKnownErrorsMapToEntries() {
        XCTAssertEqual(entryName("RuntimeError", "all elements of input should be between 0 and 1"), "bce-input-range")
        XCTAssertEqual(entryName("IndexError", "Target 3 is out of bounds."), "target-out-of-bounds")
        XCTAssertEqual(entryName("tensorflow.python.framework.errors_impl.InvalidArgumentError",
                                 "Received a label value of 10 which is outside the valid range of [0, 10).  Label values: 3 10 1"),
                       "label-out-of-range")
        XCTAssertEqual(entryName("RuntimeError", "CUDA error: device-side assert triggered"), "device-side-assert")
        XCTAssertEqual(entryName("torch.OutOfMemoryError", "CUDA out of memory. Tried to allocate 2.00 GiB"), "out-of-memory")
        XCTAssertEqual(entryName("RuntimeError", "mat1 and mat2 shapes cannot be multiplied (64x784 and 128x10)"), "shape-mismatch")
        XCTAssertEqual(entryName("ValueError", "Shapes (None, 1) and (None, 10) are incompatible"), "shape-mismatch")
        XCTAssertEqual(entryName("ValueError", "Using a target size (torch.Size([32])) that is different to the input size (torch.Size([32, 1]))"),
                       "shape-mismatch")
        XCTAssertNil(entryName("KeyError", "'image'"))
    }

    func testOutOfBoundsCauseNamesTheLabel() throws {
        let crash = Crash(exceptionType: "IndexError", message: "Target 3 is out of bounds.", line: 17)
        let (entry, match) = try XCTUnwrap(CrashCatalog.entry(for: crash))
        XCTAssertTrue(entry.causes(match)[0].because.contains("label 3 needs at least 4 output units"), entry.causes(match)[0].because)
        XCTAssertTrue(entry.fixes.contains { $0.pytorch != nil })
    }

    func testUnknownCrashStillReported() throws {
        let run = Run(source: "x", format: .pytorchConsole, name: "run 1", crash: Crash(exceptionType: "KeyError", message: "'image'", line: 9))
        let finding = try XCTUnwrap(CrashDetector().findings(in: run).first)
        XCTAssertEqual(finding.severity, .error)
        XCTAssertLessThan(finding.confidence, 1)
        XCTAssertEqual(finding.evidence.first?.line, 9)
    }
}
