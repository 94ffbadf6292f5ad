/// A console line as the generic reader sees it: words, numbers and symbols, after what would
/// mislead a reader has been taken out.
///
/// Before tokenizing, full-width punctuation (`：`, `，`, `｜`) becomes ASCII, a warning that shares
/// the line (`… || /usr/lib/…/loss.py:42: UserWarning: …`) is cut off with everything after it,
/// and paths and URLs are blanked, so the numbers inside them (`ckpt_step_1000.pt`,
/// `/data/run_3/`) are never read as counters or values.
struct GenericTokens {
    enum Kind: Equatable {
        case word
        /// A number, or `nan`/`inf` (a word that is a value).
        case number
        case symbol(UInt8)
    }

    struct Token {
        var kind: Kind
        /// Where the token is in `bytes`.
        var range: Range<Int>
        var value = 0.0
        /// Letters or `%` right after a number (`ms`, `%`, `M`), empty when none.
        var unit: [UInt8] = []
        /// Whether blanks separate it from the token before.
        var spaced = false
        var isInteger: Bool { kind == .number && value.isFinite && value == value.rounded() && unit.isEmpty }
    }

    private(set) var bytes: [UInt8]
    private(set) var tokens: [Token] = []
    /// A warning was cut off the end of the line, or the whole line is one.
    private(set) var hadWarning = false

    init(_ line: ArraySlice<UInt8>) {
        bytes = Self.normalized(line)
        hadWarning = Self.cutWarning(&bytes)
        Self.blankPaths(&bytes)
        tokenize()
    }

    func text(_ token: Token) -> String {
        String(decoding: bytes[token.range], as: UTF8.self)
    }

    // MARK: - Cleaning

    /// Full-width and typographic punctuation, as the ASCII the rest of the reader knows.
    private static let replacements: [(from: [UInt8], to: UInt8)] = [
        ("：", ":"), ("，", ","), ("；", ";"), ("｜", "|"), ("（", "("), ("）", ")"), ("【", "["), ("】", "]"), ("＝", "="),
        ("、", ","), ("／", "/"), ("—", "-"), ("–", "-"), ("·", " "), ("•", " "), ("\u{3000}", " "), ("│", "|"), ("％", "%"),
    ].map { (Array($0.0.utf8), UInt8(ascii: Unicode.Scalar($0.1)!)) }

    private static func normalized(_ line: ArraySlice<UInt8>) -> [UInt8] {
        guard line.contains(where: { $0 >= 0x80 }) else { return Array(line) }
        var result: [UInt8] = []
        result.reserveCapacity(line.count)
        var index = line.startIndex
        outer: while index < line.endIndex {
            if line[index] >= 0x80 {
                for (from, to) in replacements where line[index...].starts(with: from) {
                    result.append(to)
                    index += from.count
                    continue outer
                }
            }
            result.append(line[index])
            index += 1
        }
        return result
    }

    /// Cuts the line at a warning that shares it: a `…Warning:` word, `warnings.warn`, or a source
    /// location (`file.py:42:`) that Python's warnings print before the message. On bytes: this runs
    /// for every line, and Foundation's string search was a third of reading a log.
    private static func cutWarning(_ bytes: inout [UInt8]) -> Bool {
        var cut: Int?
        for marker in warningMarkers {
            if let found = find(marker, in: bytes), cut.map({ found < $0 }) ?? true { cut = found }
        }
        if let location = sourceLocation(in: bytes), cut.map({ location < $0 }) ?? true { cut = location }
        guard var cut else { return false }
        // Back to the start of the word the marker is part of (`UserWarning:`).
        while cut > 0, !isBlank(bytes[cut - 1]) { cut -= 1 }
        bytes.removeSubrange(cut...)
        return true
    }

    private static let warningMarkers = ["Warning:", "warnings.warn", "WARNING:"].map { Array($0.utf8) }
    private static let sourceMarker = Array(".py:".utf8)

    /// Where `needle` first occurs in `bytes` at or after `start`.
    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int = 0) -> Int? {
        guard let first = needle.first, bytes.count >= needle.count else { return nil }
        var index = start
        while index <= bytes.count - needle.count, let found = bytes[index...(bytes.count - needle.count)].firstIndex(of: first) {
            if bytes[found..<found + needle.count].elementsEqual(needle) { return found }
            index = found + 1
        }
        return nil
    }

    /// Where a `something.py:42:` source location starts.
    private static func sourceLocation(in bytes: [UInt8]) -> Int? {
        var search = 0
        while let found = find(sourceMarker, in: bytes, from: search) {
            var digits = found + sourceMarker.count
            while digits < bytes.count, isDigit(bytes[digits]) { digits += 1 }
            if digits > found + sourceMarker.count, digits < bytes.count, bytes[digits] == UInt8(ascii: ":") {
                var start = found
                while start > 0, !isBlank(bytes[start - 1]) { start -= 1 }
                return start
            }
            search = found + 1
        }
        return nil
    }

    /// Blanks paths and URLs: a chunk between blanks that starts like a path (`/`, `./`, `~/`,
    /// `C:\`), holds a backslash, `://` or two slashes, or one slash and a file extension.
    private static func blankPaths(_ bytes: inout [UInt8]) {
        var start = 0
        while start < bytes.count {
            while start < bytes.count, isBlank(bytes[start]) { start += 1 }
            var end = start
            while end < bytes.count, !isBlank(bytes[end]) { end += 1 }
            if end > start, isPath(bytes[start..<end]) {
                for index in start..<end { bytes[index] = 0x20 }
            }
            start = end
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    private static let pathStarts = ["./", "../"].map { Array($0.utf8) }
    private static let driveSeparators = [":/", ":\\"].map { Array($0.utf8) }
    private static let openers = Set("\"'([{<".utf8)
    private static let closers = Set(":,;)]}\"'".utf8)

    private static func isPath(_ chunk: ArraySlice<UInt8>) -> Bool {
        // Most chunks hold neither slash: decided at once.
        guard chunk.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") }) else { return false }
        let trimmed = chunk.drop { openers.contains($0) }
        guard let first = trimmed.first else { return false }
        if trimmed.contains(UInt8(ascii: "\\")) { return true }
        if trimmed.count > 2, driveSeparators.contains(where: { trimmed.dropFirst().starts(with: $0) }) { return true }
        var slashes = 0
        for byte in trimmed where byte == UInt8(ascii: "/") { slashes += 1 }
        if first == UInt8(ascii: "/") || first == UInt8(ascii: "~") || pathStarts.contains(where: { trimmed.starts(with: $0) }) {
            return true
        }
        if slashes >= 2 {
            // `1/2/3` is no path, nor is a date; a path has letters.
            return trimmed.contains { $0 &- UInt8(ascii: "a") < 26 || $0 &- UInt8(ascii: "A") < 26 }
        }
        guard slashes == 1 else { return false }
        // `out/ckpt.pt`, `runs/exp3/weights.pth`: a file extension of letters after a dot.
        var end = trimmed.endIndex
        while end > trimmed.startIndex, closers.contains(trimmed[end - 1]) { end -= 1 }
        guard let dot = trimmed[..<end].lastIndex(of: UInt8(ascii: ".")) else { return false }
        let ext = trimmed[(dot + 1)..<end]
        return (1...5).contains(ext.count) && ext.allSatisfy { $0 &- UInt8(ascii: "a") < 26 || $0 &- UInt8(ascii: "A") < 26 }
    }

    // MARK: - Tokens

    private static func isLetter(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "A") < 26 || byte == UInt8(ascii: "_")
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    private mutating func tokenize() {
        var index = 0
        var spaced = true
        while index < bytes.count {
            let byte = bytes[index]
            if Self.isBlank(byte) {
                spaced = true
                index += 1
                continue
            }
            var token: Token
            if Self.isDigit(byte) || (byte == UInt8(ascii: ".") && index + 1 < bytes.count && Self.isDigit(bytes[index + 1]))
                || ((byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")) && startsSignedNumber(at: index, spaced: spaced)) {
                token = number(at: index)
            } else if Self.isLetter(byte) || byte >= 0x80 {
                token = word(at: index)
            } else {
                token = Token(kind: .symbol(byte), range: index..<index + 1)
            }
            token.spaced = spaced
            spaced = false
            index = token.range.upperBound + token.unit.count
            tokens.append(token)
        }
    }

    /// A sign starts a number when a digit (or a point and a digit) follows and the sign does not
    /// join two words (`mAP50-95`).
    private func startsSignedNumber(at index: Int, spaced: Bool) -> Bool {
        guard index + 1 < bytes.count else { return false }
        let next = bytes[index + 1]
        let startsNumber = Self.isDigit(next) || (next == UInt8(ascii: ".") && index + 2 < bytes.count && Self.isDigit(bytes[index + 2]))
        if startsNumber { return spaced || tokens.last.map { $0.kind != .word && $0.kind != .number } ?? true }
        // `-inf`, `-nan`
        let rest = bytes[(index + 1)...].prefix(3).map { $0 | 0x20 }
        return (rest == Self.inf || rest == Self.nan) && (spaced || tokens.last?.kind != .word)
    }

    private func number(at start: Int) -> Token {
        var end = start
        if bytes[end] == UInt8(ascii: "-") || bytes[end] == UInt8(ascii: "+") { end += 1 }
        if end < bytes.count, !Self.isDigit(bytes[end]), bytes[end] != UInt8(ascii: ".") {
            // `-inf` / `-nan`
            let word = self.word(at: end)
            var token = word
            token.range = start..<word.range.upperBound
            token.value = -word.value
            return token
        }
        while end < bytes.count, Self.isDigit(bytes[end]) { end += 1 }
        // A point ends the number unless digits follow (`3.` ends a sentence).
        if end + 1 < bytes.count, bytes[end] == UInt8(ascii: "."), Self.isDigit(bytes[end + 1]) {
            end += 1
            while end < bytes.count, Self.isDigit(bytes[end]) { end += 1 }
        }
        if end < bytes.count, bytes[end] | 0x20 == UInt8(ascii: "e") {
            var exponent = end + 1
            if exponent < bytes.count, bytes[exponent] == UInt8(ascii: "-") || bytes[exponent] == UInt8(ascii: "+") { exponent += 1 }
            if exponent < bytes.count, Self.isDigit(bytes[exponent]) {
                end = exponent
                while end < bytes.count, Self.isDigit(bytes[end]) { end += 1 }
            }
        }
        var token = Token(kind: .number, range: start..<end)
        token.value = Double(String(decoding: bytes[start..<end], as: UTF8.self)) ?? .nan
        var unitEnd = end
        // ASCII only: a label may follow a number directly (`第3轮`).
        while unitEnd < bytes.count, Self.isLetter(bytes[unitEnd]) || bytes[unitEnd] == UInt8(ascii: "%")
            || (bytes[unitEnd] == UInt8(ascii: "/") && unitEnd + 1 < bytes.count && Self.isLetter(bytes[unitEnd + 1]) && unitEnd > end) {
            unitEnd += 1
        }
        // `1_000`, `0x10`: digits run on into the unit; the whole is no number.
        while unitEnd > end, unitEnd < bytes.count, Self.isDigit(bytes[unitEnd]) || Self.isLetter(bytes[unitEnd]) { unitEnd += 1 }
        token.unit = Array(bytes[end..<unitEnd])
        return token
    }

    private func word(at start: Int) -> Token {
        var end = start
        var hasASCIILetter = false
        while end < bytes.count {
            let byte = bytes[end]
            if Self.isLetter(byte) {
                hasASCIILetter = true
            } else if byte >= 0x80 {
                // Non-ASCII letters (CJK labels) end at a digit: `第3轮`.
            } else if Self.isDigit(byte) {
                guard hasASCIILetter else { break }
            } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "@") || byte == UInt8(ascii: "/") {
                // Inside a name (`train/loss`, `mAP@0.5`, `mAP50-95`, `top-1`) when a letter follows, or a digit after ASCII letters.
                guard end + 1 < bytes.count else { break }
                let next = bytes[end + 1]
                let joins = Self.isLetter(next) || next >= 0x80 || (hasASCIILetter && Self.isDigit(next) && byte != UInt8(ascii: "/"))
                guard joins else { break }
            } else {
                break
            }
            end += 1
        }
        var token = Token(kind: .word, range: start..<end)
        guard end - start == 3 || end - start == 8 else { return token }
        let lower = bytes[start..<end].map { $0 | 0x20 }
        if lower == Self.nan {
            token.kind = .number
            token.value = .nan
        } else if lower == Self.inf || lower == Self.infinity {
            token.kind = .number
            token.value = .infinity
        }
        return token
    }

    private static let nan = Array("nan".utf8), inf = Array("inf".utf8), infinity = Array("infinity".utf8)
}
