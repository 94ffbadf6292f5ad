import Foundation
import XCTest

@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers

/// `trainer_state.json` is read as a stream: what the stream reads must be what Foundation's parser
/// reads, however the chunks cut the tokens, and damage must give the reasons a user can act on.
final class JSONStreamTests: XCTestCase {
    private let documents = [
        #"{"log_history": [{"loss": 0.5, "step": 10, "epoch": 0.25}, {"eval_loss": 0.61, "step": 10}], "best_metric": null}"#,
        #"  {"a": [1, -2, 3.25, -0.0, 1E5, 2e-3, 12345678901234567], "b": {"c": {"d": [[], {}, [true, false, null]]}}}  "#,
        #"{"esc\"aped": "tab\there \\ \/ \b\f\n\r \u00e9 \ud83d\ude00", "": "", "ünïcode": "日本"}"#,
        #"[1, "two", [3, [4, [5]]], {"six": 6}]"#,
        #""just a string""#,
        "42",
    ]

    private func stream(_ text: String, chunkSize: Int) -> JSONStream {
        JSONStream(DataChunkReader(data: Data(text.utf8)), chunkSize: chunkSize)
    }

    /// The document as plain values: objects as dictionaries, numbers as doubles.
    private func value(_ stream: JSONStream) throws -> Any {
        switch try stream.peek() {
        case UInt8(ascii: "{"):
            var object: [String: Any] = [:]
            try stream.forEachMember { key in object[key] = try value(stream) }
            return object
        case UInt8(ascii: "["):
            var array: [Any] = []
            try stream.forEachItem { array.append(try value(stream)) }
            return array
        default:
            switch try stream.readScalar() {
            case let .number(number)?: return number
            case let .string(text)?: return text
            case let .bool(flag)?: return flag
            case .null?, nil: return NSNull()
            }
        }
    }

    /// Foundation's reading in the same terms.
    private func plain(_ foundation: Any) -> Any {
        if let object = foundation as? [String: Any] { return object.mapValues(plain) }
        if let array = foundation as? [Any] { return array.map(plain) }
        if let number = foundation as? NSNumber, String(cString: number.objCType) == "c" { return number.boolValue }
        return LenientJSON.number(foundation).map { $0 as Any } ?? foundation
    }

    private func same(_ lhs: Any, _ rhs: Any) -> Bool {
        switch (lhs, rhs) {
        case let (left as [String: Any], right as [String: Any]):
            return left.count == right.count && left.allSatisfy { key, value in right[key].map { same(value, $0) } ?? false }
        case let (left as [Any], right as [Any]):
            return left.count == right.count && zip(left, right).allSatisfy(same)
        case let (left as Bool, right as Bool): return left == right
        case let (left as Double, right as Double): return left == right && left.sign == right.sign
        case let (left as String, right as String): return left == right
        case (is NSNull, is NSNull): return true
        default: return false
        }
    }

    func testReadsWhatFoundationReadsWhereverChunksEnd() throws {
        for document in documents {
            let expected = plain(try JSONSerialization.jsonObject(with: Data(document.utf8), options: [.fragmentsAllowed]))
            for chunkSize in [1, 2, 3, 7, 64, JSONStream.defaultChunkSize] {
                let reader = stream(document, chunkSize: chunkSize)
                let read = try value(reader)
                try reader.finish()
                XCTAssertTrue(same(read, expected), "\(document) in chunks of \(chunkSize): \(read)")
            }
        }
    }

    func testPythonTokensAndNumbersBeyondDoubleRange() throws {
        let reader = stream(#"[NaN, Infinity, -Infinity, 1e999, -2E+400, 1e-400, "1e999"]"#, chunkSize: 3)
        let values = try XCTUnwrap(try value(reader) as? [Any])
        XCTAssertTrue((values[0] as? Double)?.isNaN == true)
        XCTAssertEqual(values.dropFirst().compactMap { $0 as? Double }, [.infinity, -.infinity, .infinity, -.infinity, 0])
        XCTAssertEqual(values.last as? String, "1e999", "strings are left alone")
        XCTAssertEqual(reader.outOfRangeNumbers, ["1e999", "-2E+400"])
    }

    func testLoneSurrogatesBecomeReplacementCharacters() throws {
        let reader = stream(#"["a\ud83d\nb", "\ud83dA", "\ud83d\u0041", "\ude00", "\ud83d\ude00"]"#, chunkSize: 2)
        XCTAssertEqual(try value(reader) as? [String], ["a\u{FFFD}\nb", "\u{FFFD}A", "\u{FFFD}A", "\u{FFFD}", "😀"])
    }

    func testEveryTruncationSaysTheFileEndsInTheMiddle() {
        let document = documents[0]
        for length in 0..<document.utf8.count {
            let cut = String(decoding: Array(document.utf8.prefix(length)), as: UTF8.self)
            XCTAssertThrowsError(try { let reader = stream(cut, chunkSize: 5); _ = try value(reader); try reader.finish() }()) { error in
                XCTAssertEqual((error as? JSONStream.SyntaxError)?.reason, LenientJSON.truncatedReason, "cut at \(length)")
            }
        }
    }

    func testDamageIsReportedWithWhereItIs() {
        let cases = [
            (#"{"a": 01}"#, "'01' is not a JSON number"),
            (#"{"a": 1.}"#, "'1.' is not a JSON number"),
            (#"{"a": 1} x"#, "unexpected 'x' at byte 9 where JSON needs the end of the document"),
            (#"{"a": 1 "b": 2}"#, "unexpected '\"' at byte 8 where JSON needs ',' or '}'"),
            ("{\"a\": \"x\ty\"}", "unexpected byte 0x09 at byte 8 where JSON needs an escaped control character inside a string"),
            (#"{"a": tru}"#, "unexpected '}' at byte 9 where JSON needs 'true'"),
            (String(repeating: "[", count: 600) + String(repeating: "]", count: 600), "nested deeper than JSON readers allow"),
        ]
        for (document, reason) in cases {
            XCTAssertThrowsError(try { let reader = stream(document, chunkSize: 4); _ = try value(reader); try reader.finish() }()) { error in
                let said = (error as? JSONStream.SyntaxError)?.reason ?? "\(error)"
                XCTAssertTrue(said.contains(reason), "\(document): \(said)")
            }
        }
    }

    /// A per-step state file is read entry by entry: values of the other top-level keys, however
    /// deep, are read past, and a later `log_history` replaces an earlier one.
    func testTrainerStateIsReadFromTheLogHistoryAlone() throws {
        let state = #"""
            {"best_model_checkpoint": null, "log_history": [{"loss": 9, "step": 1}],
             "stateful_callbacks": {"TrainerControl": {"args": {"should_save": true, "x": [[1, 2], {"y": "z"}]}}},
             "log_history": [{"epoch": 0.5, "grad_norm": "1.5", "loss": 0.7, "step": 5, "nested": {"a": 1}},
                             {"epoch": 1.0, "eval_loss": 0.8, "step": 10},
                             {"epoch": 1.0, "step": 10, "train_loss": 0.7, "train_runtime": 12.5}]}
            """#
        let runs = try HuggingFaceStateParser().parse(LogInput(source: "trainer_state.json", data: Data(state.utf8)))
        let run = try XCTUnwrap(runs.first)
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(run.series(named: "loss", granularity: .step)?.points.map(\.value), [0.7])
        XCTAssertEqual(run.series(named: "grad_norm", granularity: .step)?.points.map(\.step), [5])
        XCTAssertEqual(run.series(named: "val_loss", granularity: .step)?.points.map(\.value), [0.8])
        XCTAssertNil(run.series(named: "train_loss", granularity: .step), "the summary entry is left out")
    }
}
