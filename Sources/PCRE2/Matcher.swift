import CPCRE2

/// Runs one pattern over many subjects. It owns its match data and match context and reuses them,
/// so matching a line allocates nothing. A matcher is not thread-safe: make one per thread.
public final class Matcher {
    public let pattern: Pattern
    private let matchData: OpaquePointer
    private let context: OpaquePointer

    init(pattern: Pattern) {
        self.pattern = pattern
        // Sized from the pattern so every capture group has a slot.
        matchData = pcre2_match_data_create_from_pattern_8(pattern.code, nil)
        context = pcre2_match_context_create_8(nil)
        pcre2_set_match_limit_8(context, pattern.limits.matchLimit)
        pcre2_set_depth_limit_8(context, pattern.limits.depthLimit)
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(context)
    }

    /// The first match in `subject` at or after byte `offset`, or nil. Ranges are byte offsets into `subject`.
    public func firstMatch(in subject: UnsafeBufferPointer<UInt8>, from offset: Int = 0) throws -> Match? {
        guard try matches(subject, from: offset) else { return nil }
        return Match(ranges: MatchRanges(matchData).all, groupNumbers: pattern.groupNumbers)
    }

    /// Matches without building a `Match`: `body` reads the group ranges straight from the match data,
    /// which stays valid only during the call. For hot loops that must not allocate.
    public func withFirstMatch<Result>(
        in subject: UnsafeBufferPointer<UInt8>, from offset: Int = 0, _ body: (MatchRanges) throws -> Result
    ) throws -> Result? {
        guard try matches(subject, from: offset) else { return nil }
        return try body(MatchRanges(matchData))
    }

    /// Calls `body` for every non-overlapping match, left to right, without allocating.
    public func forEachMatch(in subject: UnsafeBufferPointer<UInt8>, _ body: (MatchRanges) throws -> Void) throws {
        var offset = 0
        while offset <= subject.count, try matches(subject, from: offset) {
            let ranges = MatchRanges(matchData)
            try body(ranges)
            let whole = ranges[0]!
            offset = whole.isEmpty ? whole.upperBound + 1 : whole.upperBound
        }
    }

    private static let emptySubject: UnsafeMutablePointer<UInt8> = {
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return pointer
    }()

    private func matches(_ subject: UnsafeBufferPointer<UInt8>, from offset: Int) throws -> Bool {
        guard offset <= subject.count else { return false }
        // PCRE2 wants a non-null pointer even for an empty subject.
        let base = subject.baseAddress ?? UnsafePointer(Matcher.emptySubject)
        let result = pcre2_match_8(pattern.code, base, subject.count, offset, 0, matchData, context)
        if result == PCRE2_ERROR_NOMATCH { return false }
        if result == PCRE2_ERROR_MATCHLIMIT || result == PCRE2_ERROR_DEPTHLIMIT
            || result == PCRE2_ERROR_HEAPLIMIT || result == PCRE2_ERROR_JIT_STACKLIMIT
        {
            throw PCRE2Error.matchLimitExceeded(pattern: pattern.source, origin: pattern.origin)
        }
        if result < 0 {
            throw PCRE2Error.match(
                code: result, message: PCRE2Error.message(for: result), pattern: pattern.source,
                origin: pattern.origin)
        }
        return true
    }

    /// Convenience for tests and small inputs: matches a Swift string (as UTF-8 bytes).
    public func firstMatch(in string: String, from offset: Int = 0) throws -> Match? {
        var copy = string
        return try copy.withUTF8 { try firstMatch(in: $0, from: offset) }
    }

    /// Every non-overlapping match, left to right.
    public func allMatches(in subject: UnsafeBufferPointer<UInt8>) throws -> [Match] {
        var found: [Match] = []
        var offset = 0
        while offset <= subject.count, let match = try firstMatch(in: subject, from: offset) {
            found.append(match)
            let whole = match.range
            // An empty match must still advance, or the loop would never end.
            offset = whole.isEmpty ? whole.upperBound + 1 : whole.upperBound
        }
        return found
    }
}

/// The group ranges of the last match of a matcher, read in place (see `Matcher.withFirstMatch`).
public struct MatchRanges {
    private let ovector: UnsafeMutablePointer<Int>
    public let count: Int

    init(_ matchData: OpaquePointer) {
        count = Int(pcre2_get_ovector_count_8(matchData))
        ovector = pcre2_get_ovector_pointer_8(matchData)!
    }

    /// The byte range of a group, nil when it took no part in the match.
    public subscript(group: Int) -> Range<Int>? {
        guard group >= 0, group < count else { return nil }
        let start = ovector[2 * group]
        let end = ovector[2 * group + 1]
        // PCRE2_UNSET is SIZE_MAX, which Swift sees as -1 because size_t imports as Int.
        return start < 0 || end < start ? nil : start..<end
    }

    var all: [Range<Int>?] { (0..<count).map { self[$0] } }
}

/// One match: byte ranges of the whole match (group 0) and of each capture group.
public struct Match: Sendable {
    public let ranges: [Range<Int>?]
    let groupNumbers: [String: Int]

    public var range: Range<Int> { ranges[0]! }

    public func range(at group: Int) -> Range<Int>? {
        group < ranges.count ? ranges[group] : nil
    }

    public func range(named name: String) -> Range<Int>? {
        groupNumbers[name].flatMap { range(at: $0) }
    }

    /// The names of the named groups that took part in this match.
    public var matchedGroupNames: [String] {
        groupNumbers.filter { range(at: $0.value) != nil }.map(\.key)
    }

    public func string(named name: String, in subject: UnsafeBufferPointer<UInt8>) -> String? {
        range(named: name).map { String(decoding: UnsafeBufferPointer(rebasing: subject[$0]), as: UTF8.self) }
    }

    public func string(named name: String, in subject: String) -> String? {
        guard let range = range(named: name) else { return nil }
        let utf8 = subject.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let end = utf8.index(start, offsetBy: range.count)
        return String(subject[start..<end])
    }
}
