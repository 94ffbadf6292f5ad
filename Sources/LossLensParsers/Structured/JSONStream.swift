import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// Reads a JSON document front to back from a chunked source without building it: the caller walks
/// objects member by member and arrays item by item, and skips what it does not need, so memory
/// holds what the caller keeps, not the document. A per-step `trainer_state.json` of 70 MB made
/// Foundation's parser build 1.7 GB of objects.
///
/// Accepts what `LenientJSON` accepts: Python's `NaN`, `Infinity` and `-Infinity` tokens, and
/// numbers beyond a Double's range, which are read as infinities and listed in `outOfRangeNumbers`.
@_spi(Layers) public final class JSONStream {
    /// Why the input is not JSON, in words for the user.
    @_spi(Layers) public struct SyntaxError: Error {
        @_spi(Layers) public let reason: String
    }

    /// A member or item that is not an object or an array.
    @_spi(Layers) public enum Scalar {
        case number(Double)
        case string(String)
        case bool(Bool)
        case null

        /// A number, or a string that reads as one (as `LenientJSON.number`); booleans and null are not.
        @_spi(Layers) public var number: Double? {
            switch self {
            case let .number(value): return value
            case let .string(text): return NumberParsing.value(text)
            case .bool, .null: return nil
            }
        }
    }

    static let maximumDepth = 512
    /// Longer strings are kept only up to here (the rest is read past): no metric name or value is this long.
    static let stringLimit = 1 << 20
    @_spi(Layers) public static let defaultChunkSize = 64 << 10

    private let source: any ChunkReader
    private var buffer: [UInt8]
    private var position = 0
    private var end = 0
    /// Bytes of the input before `buffer`, so errors can say where they are.
    private var bufferOffset = 0
    private var depth = 0
    private var scratch: [UInt8] = []
    /// Number literals that overflowed to ±infinity, in document order.
    private(set) var outOfRangeNumbers: [String] = []

    /// `chunkSize` is the most read at a time (tests make it tiny, so tokens straddle chunks).
    @_spi(Layers) public init(_ source: any ChunkReader, chunkSize: Int = JSONStream.defaultChunkSize) {
        self.source = source
        buffer = [UInt8](repeating: 0, count: max(1, chunkSize))
    }

    /// The next byte that is not a blank, left unread; nil at the end of the input.
    func peek() throws -> UInt8? {
        while true {
            while position < end {
                let byte = buffer[position]
                guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return byte }
                position += 1
            }
            guard try refill() else { return nil }
        }
    }

    /// Calls `body` for each member of the object that comes next; `body` reads or skips the value.
    func forEachMember(_ body: (String) throws -> Void) throws {
        guard try open(UInt8(ascii: "{"), closedBy: UInt8(ascii: "}")) else { return }
        repeat {
            guard try peek() == UInt8(ascii: "\"") else { throw unexpected(expecting: "a quoted member name") }
            let key = try readString()
            guard try peek() == UInt8(ascii: ":") else { throw unexpected(expecting: "':' after a member name") }
            position += 1
            try body(key)
        } while try !closes(UInt8(ascii: "}"))
    }

    /// Calls `body` for each item of the array that comes next; `body` reads or skips the item.
    func forEachItem(_ body: () throws -> Void) throws {
        guard try open(UInt8(ascii: "["), closedBy: UInt8(ascii: "]")) else { return }
        repeat {
            try body()
        } while try !closes(UInt8(ascii: "]"))
    }

    /// The value that comes next when it is a scalar; an object or an array is read past (nil).
    func readScalar() throws -> Scalar? {
        guard let byte = try peek() else { throw Self.truncated }
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            try skipValue()
            return nil
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "t"):
            try readWord("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try readWord("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try readWord("null")
            return .null
        case UInt8(ascii: "N"):
            try readWord("NaN")
            return .number(.nan)
        case UInt8(ascii: "I"):
            try readWord("Infinity")
            return .number(.infinity)
        default:
            return .number(try readNumber())
        }
    }

    /// Reads past the value that comes next, however deep.
    func skipValue() throws {
        guard let byte = try peek() else { throw Self.truncated }
        switch byte {
        case UInt8(ascii: "{"): try forEachMember { _ in try skipValue() }
        case UInt8(ascii: "["): try forEachItem { try skipValue() }
        case UInt8(ascii: "\""): try skipString()
        default: _ = try readScalar()
        }
    }

    /// Checks that nothing but blanks follows the document.
    @_spi(Layers) public func finish() throws {
        if try peek() != nil { throw unexpected(expecting: "the end of the document") }
    }

    // MARK: - Tokens

    private static let truncated = SyntaxError(reason: LenientJSON.truncatedReason)

    private func unexpected(expecting expected: String) -> SyntaxError {
        guard position < end else { return Self.truncated }
        let byte = buffer[position]
        let shown = byte >= 0x20 && byte < 0x7F ? "'\(Character(UnicodeScalar(byte)))'" : String(format: "byte 0x%02X", byte)
        return SyntaxError(reason: "unexpected \(shown) at byte \(bufferOffset + position) where JSON needs \(expected)")
    }

    /// Reads the opening bracket; false when the container closes right away (it is empty).
    private func open(_ bracket: UInt8, closedBy closing: UInt8) throws -> Bool {
        guard try peek() == bracket else { throw unexpected(expecting: bracket == UInt8(ascii: "{") ? "an object" : "an array") }
        position += 1
        depth += 1
        if depth > Self.maximumDepth {
            throw SyntaxError(reason: "it is nested deeper than JSON readers allow (more than \(Self.maximumDepth) levels)")
        }
        guard try peek() == closing else { return true }
        position += 1
        depth -= 1
        return false
    }

    /// After a member or item: true at the closing bracket, false after a comma.
    private func closes(_ bracket: UInt8) throws -> Bool {
        guard let byte = try peek() else { throw Self.truncated }
        if byte == UInt8(ascii: ",") {
            position += 1
            return false
        }
        guard byte == bracket else { throw unexpected(expecting: "',' or '\(Character(UnicodeScalar(bracket)))'") }
        position += 1
        depth -= 1
        return true
    }

    /// The next byte, blanks included, consumed.
    private func nextByte() throws -> UInt8 {
        if position == end, !(try refill()) { throw Self.truncated }
        defer { position += 1 }
        return buffer[position]
    }

    /// The next byte, left unread (nil at the end).
    private func peekByte() throws -> UInt8? {
        if position == end, !(try refill()) { return nil }
        return buffer[position]
    }

    /// Reads the next chunk once everything before has been read; false at the end of the input.
    private func refill() throws -> Bool {
        bufferOffset += end
        let count = try source.fill(&buffer)
        position = 0
        end = count
        return count > 0
    }

    private func readWord(_ word: String) throws {
        for byte in word.utf8 where try nextByte() != byte {
            position -= 1
            throw unexpected(expecting: "'\(word)'")
        }
    }

    /// A number literal, checked against JSON's grammar; `-Infinity` too.
    private func readNumber() throws -> Double {
        scratch.removeAll(keepingCapacity: true)
        while let byte = try peekByte(), byte &- 0x30 < 10 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            guard scratch.count < 4096 else { throw SyntaxError(reason: "a number is longer than 4096 characters") }
            scratch.append(byte)
            position += 1
        }
        if scratch == [UInt8(ascii: "-")], try peekByte() == UInt8(ascii: "I") {
            try readWord("Infinity")
            return -.infinity
        }
        guard Self.isNumber(scratch) else {
            // `0.` or `-` at the very end: the number was cut, not miswritten.
            if try peekByte() == nil { throw Self.truncated }
            if scratch.isEmpty { throw unexpected(expecting: "a value") }
            throw SyntaxError(reason: "'\(String(decoding: scratch, as: UTF8.self))' is not a JSON number")
        }
        let value = scratch.withByteView { DecimalBytes.double($0) } ?? .nan
        if value.isInfinite { outOfRangeNumbers.append(String(decoding: scratch, as: UTF8.self)) }
        return value
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?`
    private static func isNumber(_ bytes: [UInt8]) -> Bool {
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] &- 0x30 < 10 { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let first = index < bytes.count ? bytes[index] : 0
        let whole = digits()
        guard whole > 0, whole == 1 || first != UInt8(ascii: "0") else { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            guard digits() > 0 else { return false }
        }
        return index == bytes.count
    }

    /// A quoted string with its escapes resolved (the first `stringLimit` bytes of it).
    private func readString() throws -> String {
        scratch.removeAll(keepingCapacity: true)
        try scanString { if scratch.count < Self.stringLimit { scratch.append($0) } }
        return String(decoding: scratch, as: UTF8.self)
    }

    private func skipString() throws {
        try scanString { _ in }
    }

    /// Hands the string's bytes, escapes resolved, to `keep`.
    private func scanString(_ keep: (UInt8) -> Void) throws {
        position += 1  // the opening quote, seen by the caller's peek
        while true {
            let byte = try nextByte()
            switch byte {
            case UInt8(ascii: "\""):
                return
            case UInt8(ascii: "\\"):
                try scanEscape(keep)
            case 0..<0x20:
                position -= 1
                throw unexpected(expecting: "an escaped control character inside a string")
            default:
                keep(byte)
            }
        }
    }

    private func scanEscape(_ keep: (UInt8) -> Void) throws {
        try resolveEscape(try nextByte(), keep)
    }

    /// The escape `\escaped`. A high surrogate without its low half becomes U+FFFD, as a lone
    /// surrogate Python wrote (`json` accepts them) cannot be kept in a Swift string.
    private func resolveEscape(_ escaped: UInt8, _ keep: (UInt8) -> Void) throws {
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): keep(escaped)
        case UInt8(ascii: "b"): keep(0x08)
        case UInt8(ascii: "f"): keep(0x0C)
        case UInt8(ascii: "n"): keep(0x0A)
        case UInt8(ascii: "r"): keep(0x0D)
        case UInt8(ascii: "t"): keep(0x09)
        case UInt8(ascii: "u"):
            var code = try hexCode()
            if (0xD800..<0xDC00).contains(code), try peekByte() == UInt8(ascii: "\\") {
                position += 1
                let next = try nextByte()
                guard next == UInt8(ascii: "u") else {
                    keepScalar(0xFFFD, keep)
                    return try resolveEscape(next, keep)
                }
                let low = try hexCode()
                if (0xDC00..<0xE000).contains(low) {
                    code = 0x10000 + (code - 0xD800) << 10 + (low - 0xDC00)
                } else {
                    keepScalar(0xFFFD, keep)
                    code = low
                }
            }
            keepScalar(code, keep)
        default:
            position -= 1
            throw unexpected(expecting: "a valid escape after '\\'")
        }
    }

    private func keepScalar(_ code: UInt32, _ keep: (UInt8) -> Void) {
        for byte in String(UnicodeScalar(code) ?? "\u{FFFD}").utf8 { keep(byte) }
    }

    private func hexCode() throws -> UInt32 {
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = try nextByte()
            guard let digit = Character(UnicodeScalar(byte)).hexDigitValue else {
                position -= 1
                throw unexpected(expecting: "four hex digits after '\\u'")
            }
            code = code << 4 | UInt32(digit)
        }
        return code
    }
}
