import Foundation
import XCTest

/// Unsafe pointers and unchecked sendability live in two targets only: `LossLensBytes`, which hands
/// the other layers bounds-checked views (`ByteView`, `ArrayView`), a byte writer, memos and locks
/// (`Guarded`), and the PCRE2 wrapper. The other targets touch memory only through those.
final class UnsafeContainmentTests: XCTestCase {
    /// Targets allowed to hold the constructs below.
    private static let containing: Set<String> = ["LossLensBytes", "PCRE2"]

    /// Pointer types and calls, unmanaged references, unchecked sendability, memory rebinding, and
    /// the C calls and stdlib entry points that hand out raw memory.
    private static let construct = try! NSRegularExpression(pattern: [
        "Unsafe", "unsafe", "Unmanaged", "@unchecked", "MemoryBound", "bindMemory", "baseAddress", "withUTF8\\b",
        "pointee", "OpaquePointer", "\\bmem(chr|cmp|cpy|move|set)\\(",
    ].joined(separator: "|"))

    func testNoUnsafeConstructsOutsideBytesAndPCRE2() throws {
        let sources = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        let targets = try FileManager.default.contentsOfDirectory(atPath: sources.path)
        XCTAssertTrue(Self.containing.isSubset(of: targets), "the Sources tree is not where the test looks: \(sources.path)")
        var scanned = 0
        var found: [String] = []
        for target in targets.sorted() where !Self.containing.contains(target) {
            let root = sources.appendingPathComponent(target)
            guard let files = FileManager.default.enumerator(atPath: root.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
                scanned += 1
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let line = String(line)
                    if Self.construct.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil {
                        found.append("Sources/\(target)/\(file):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
                    }
                }
            }
        }
        XCTAssertGreaterThan(scanned, 50, "too few Swift files found under \(sources.path)")
        XCTAssertEqual(found, [], "unsafe constructs outside \(Self.containing.sorted()):\n" + found.joined(separator: "\n"))
    }
}
