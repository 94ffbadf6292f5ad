@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2
/// Whether a PCRE2 pattern treats every ASCII digit alike, so its matches depend only on a line's
/// digit shape (see `DigitShapeMemo`).
///
/// Conservative: a pattern qualifies when no digit appears in it except in the counts of a
/// quantifier (`{4}`, `{0,40}`), and it uses nothing that compares or spells characters another way
/// (backreferences, `\x`/`\o`/`\N` code points, `\Q...\E` literals, callouts). `\d`, `\w`, ranges
/// such as `[-+\d.eE]` and letters are fine: they cannot tell `3` from `7`.
@_spi(Layers) public enum DigitBlindness {
    @_spi(Layers) public static func holds(for source: String) -> Bool {
        let spellsOtherwise = ["(?P=", "(?C"].contains { ByteNeedle($0).occurs(in: source) }
        if spellsOtherwise { return false }
        let chars = Array(source.unicodeScalars)
        var index = 0
        var inClass = false
        while index < chars.count {
            let char = chars[index]
            if char == "\\" {
                guard index + 1 < chars.count else { return false }
                let escaped = chars[index + 1]
                if "xoNgkQEc".unicodeScalars.contains(escaped) || isDigit(escaped) { return false }
                index += 2
                continue
            }
            if inClass {
                if char == "[", index + 1 < chars.count, chars[index + 1] == ":" {
                    // A POSIX class (`[:alpha:]`) inside a class: its `]` does not end the class.
                    guard let end = closingPosixClass(chars, from: index + 2) else { return false }
                    index = end
                    continue
                }
                if char == "]" { inClass = false }
            } else if char == "[" {
                inClass = true
                // A `]` right after `[` or `[^` is a literal member, not the end.
                index += 1
                if index < chars.count, chars[index] == "^" { index += 1 }
                if index < chars.count, chars[index] == "]" { index += 1 }
                continue
            } else if char == "{", let end = quantifierEnd(chars, from: index) {
                index = end
                continue
            }
            if isDigit(char) { return false }
            index += 1
        }
        return !inClass
    }

    private static func isDigit(_ char: Unicode.Scalar) -> Bool { ("0"..."9").contains(char) }

    /// The index after a quantifier `{n}`, `{n,}`, `{n,m}` or `{,m}` starting at `start`, nil when
    /// the brace starts no quantifier (PCRE2 then reads it as a literal).
    private static func quantifierEnd(_ chars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        var digits = 0, commas = 0
        while index < chars.count, chars[index] != "}" {
            if isDigit(chars[index]) { digits += 1 } else if chars[index] == "," { commas += 1 } else { return nil }
            index += 1
        }
        guard index < chars.count, digits > 0, commas <= 1 else { return nil }
        if commas == 0 || chars[start + 1] != "," || chars[index - 1] != "," { return index + 1 }
        return nil
    }

    private static func closingPosixClass(_ chars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start
        while index + 1 < chars.count {
            if chars[index] == ":", chars[index + 1] == "]" { return index + 2 }
            guard ("a"..."z").contains(chars[index]) else { return nil }
            index += 1
        }
        return nil
    }
}
