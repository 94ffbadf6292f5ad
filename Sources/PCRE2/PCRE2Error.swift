import CPCRE2
import Foundation

/// Where a pattern came from, so a compile error can point the user at the line to fix.
public struct PatternOrigin: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}

public enum PCRE2Error: LocalizedError, Equatable, Sendable {
    /// The pattern does not compile; `offset` is the byte offset in the pattern where PCRE2 gave up.
    case compile(message: String, offset: Int, pattern: String, origin: PatternOrigin?)
    /// The pattern needed more backtracking than the match limit allows on one line.
    case matchLimitExceeded(pattern: String, origin: PatternOrigin?)
    /// Any other matching error PCRE2 reports (for example invalid options).
    case match(code: Int32, message: String, pattern: String, origin: PatternOrigin?)

    public var errorDescription: String? {
        switch self {
        case let .compile(message, offset, pattern, origin):
            let place = origin.map { "\($0): " } ?? ""
            return "\(place)pattern does not compile at offset \(offset): \(message) (pattern: \(pattern))"
        case let .matchLimitExceeded(pattern, origin):
            let place = origin.map { "\($0): " } ?? ""
            return "\(place)pattern hit the PCRE2 backtracking limit; it is probably catastrophic "
                + "(nested quantifiers such as (a+)+). Rewrite it with possessive quantifiers or atomic groups. "
                + "(pattern: \(pattern))"
        case let .match(code, message, pattern, origin):
            let place = origin.map { "\($0): " } ?? ""
            return "\(place)matching failed with PCRE2 error \(code): \(message) (pattern: \(pattern))"
        }
    }

    static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
        guard length > 0 else { return "unknown error \(code)" }
        return String(decoding: buffer[0..<Int(length)], as: UTF8.self)
    }
}
