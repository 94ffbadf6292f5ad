import Foundation

/// Byte-level helpers for turning raw terminal output into screen text (see `ScreenLine`).
@_spi(Layers) public enum TerminalBytes {
    private static let escape: UInt8 = 0x1B
    private static let backspace: UInt8 = 0x08

    /// Whether a line holds an escape, a backspace or a non-ASCII byte (to validate), checked eight
    /// bytes at a time: most log lines are plain ASCII and are copied as they are.
    static func needsCleaning(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        var index = 0
        let highBits: UInt64 = 0x8080_8080_8080_8080
        while index + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            // A byte below 0x20 (control) or with its high bit set shows in the high bits.
            let control = (word &- 0x2020_2020_2020_2020) & ~word & highBits
            if (word & highBits) | control != 0, containsSpecial(bytes, index..<index + 8) { return true }
            index += 8
        }
        return containsSpecial(bytes, index..<bytes.count)
    }

    private static func containsSpecial(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        for index in range {
            let byte = bytes[index]
            if byte >= 0x80 || byte == escape || byte == backspace { return true }
        }
        return false
    }

    /// Appends `bytes` without ANSI escape sequences and backspaces; invalid UTF-8 becomes U+FFFD
    /// (one per maximal invalid subpart, as Swift's decoder does).
    static func appendCleaned(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        // Cleaning only drops bytes unless it meets invalid UTF-8, so it is done in place on a copy
        // (a progress bar line is short runs of text between escapes: appending run by run is slow).
        let start = output.count
        output.append(contentsOf: bytes)
        let kept = output.withUnsafeMutableBufferPointer { all in
            removeEscapesInPlace(UnsafeMutableBufferPointer(rebasing: all[start...]))
        }
        if let kept {
            output.removeLast(output.count - (start + kept))
            return
        }
        output.removeLast(output.count - start)
        appendCleanedReplacingInvalid(bytes, to: &output)
    }

    /// Compacts `buffer` to its cleaned form and returns the cleaned length, or nil when it holds
    /// invalid UTF-8 (whose replacement can be longer than the bytes it replaces).
    private static func removeEscapesInPlace(_ buffer: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        guard let base = buffer.baseAddress else { return 0 }
        let bytes = UnsafeBufferPointer(buffer)
        var read = 0, write = 0
        let end = buffer.count
        // `write` never passes `read`, so the bytes still to read are untouched.
        while read < end {
            // Text that stays, ASCII and valid UTF-8 alike (progress bars draw with `━`), moved in
            // one piece.
            var kept = endOfPlainText(bytes, from: read)
            while kept < end, base[kept] != backspace, base[kept] != escape {
                // A run of multibyte characters (a bar of `━`) is validated in one go.
                while kept < end, base[kept] >= 0x80 {
                    let length = validSequenceLength(bytes, at: kept)
                    guard length.valid else { return nil }
                    kept += length.count
                }
                kept = endOfPlainText(bytes, from: kept)
            }
            if kept > read {
                if write != read { memmove(base + write, base + read, kept - read) }
                write += kept - read
                read = kept
                if read == end { break }
            }
            read = base[read] == backspace ? read + 1 : skipEscape(bytes, from: read)
        }
        return write
    }

    /// The index of the first escape, backspace or non-ASCII byte at or after `start` (the end when
    /// none), eight bytes at a time: runs of plain text are moved in one piece.
    private static func endOfPlainText(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        var index = start
        let ones: UInt64 = 0x0101_0101_0101_0101, highBits: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ word: UInt64) -> Bool { (word &- ones) & ~word & highBits != 0 }
        while index + 8 <= bytes.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if word & highBits != 0 || hasZeroByte(word ^ (ones &* UInt64(escape))) || hasZeroByte(word ^ (ones &* UInt64(backspace))) {
                break
            }
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x80 || byte == escape || byte == backspace { return index }
            index += 1
        }
        return index
    }

    private static func appendCleanedReplacingInvalid(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var index = 0
        let end = bytes.count
        while index < end {
            let byte = bytes[index]
            if byte == backspace {
                index += 1
            } else if byte == escape {
                index = skipEscape(bytes, from: index)
            } else if byte < 0x80 {
                output.append(byte)
                index += 1
            } else {
                let length = validSequenceLength(bytes, at: index)
                if length.valid {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + length.count]))
                } else {
                    output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                }
                index += length.count
            }
        }
    }

    /// Whether every escape sequence in `bytes` ends inside them, so that cleaning them alone gives
    /// what cleaning them as part of a longer line gives (an open sequence would take in what follows).
    static func escapesEnd(in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var index = 0
        while index < bytes.count, let found = memchr(base + index, Int32(escape), bytes.count - index) {
            let sequence = escapeSequence(bytes, from: base.distance(to: found.assumingMemoryBound(to: UInt8.self)))
            guard sequence.isComplete else { return false }
            index = sequence.end
        }
        return true
    }

    /// Skips an ANSI CSI sequence (`ESC [ params final`) or a two-byte escape; returns the next index.
    private static func skipEscape(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        escapeSequence(bytes, from: start).end
    }

    /// Where the escape sequence at `start` ends (at most at the end of `bytes`), and whether its
    /// last byte is inside `bytes`.
    private static func escapeSequence(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (end: Int, isComplete: Bool) {
        var index = start + 1
        let end = bytes.count
        guard index < end else { return (index, false) }
        if bytes[index] == UInt8(ascii: "[") {
            index += 1
            while index < end, !(0x40...0x7E).contains(bytes[index]) { index += 1 }
            return index < end ? (index + 1, true) : (end, false)
        }
        return (index + 1, true)
    }

    /// The length of the UTF-8 sequence at `index`, or of its maximal invalid subpart (at least 1).
    private static func validSequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (count: Int, valid: Bool) {
        let lead = bytes[index]
        // The common case first: a three-byte character outside the surrogates and overlongs
        // (box drawing, block elements).
        if lead >= 0xE1, lead <= 0xEC, index + 2 < bytes.count, bytes[index + 1] & 0xC0 == 0x80, bytes[index + 2] & 0xC0 == 0x80 {
            return (3, true)
        }
        let expected: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: expected = 2
        case 0xE0: expected = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: expected = 3
        case 0xED: expected = 3; secondRange = 0x80...0x9F
        case 0xF0: expected = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: expected = 4
        case 0xF4: expected = 4; secondRange = 0x80...0x8F
        default: return (1, false)
        }
        var count = 1
        while count < expected {
            guard index + count < bytes.count else { return (count, false) }
            let byte = bytes[index + count]
            let allowed = count == 1 ? secondRange : 0x80...0xBF
            guard allowed.contains(byte) else { return (count, false) }
            count += 1
        }
        return (count, true)
    }

    /// The state in `range` without surrounding whitespace (space, tab and the Unicode space
    /// separators, as `CharacterSet.whitespaces`), with its indent; nil when it is only spaces and tabs.
    @_spi(Layers) public static func trimmedState(_ bytes: ByteView, _ range: Range<Int>) -> (Range<Int>, Int)? {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "byte range out of range")
        return trimmedState(bytes.buffer, range)
    }

    static func trimmedState(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> (Range<Int>, Int)? {
        var indent = 0
        var first = range.lowerBound
        while first < range.upperBound, bytes[first] == 0x20 || bytes[first] == 0x09 {
            indent += bytes[first] == 0x09 ? 8 : 1
            first += 1
        }
        guard first < range.upperBound else { return nil }
        var lower = first
        while lower < range.upperBound {
            let length = whitespaceLength(bytes, at: lower, limit: range.upperBound)
            if length == 0 { break }
            lower += length
        }
        var upper = range.upperBound
        while upper > lower {
            let length = whitespaceLength(bytes, endingAt: upper, floor: lower)
            if length == 0 { break }
            upper -= length
        }
        return (lower..<upper, indent)
    }

    /// UTF-8 forms of the Unicode space separators other than U+0020.
    private static let wideSpaces: [[UInt8]] = [
        [0xC2, 0xA0], [0xE1, 0x9A, 0x80], [0xE2, 0x80, 0xAF], [0xE2, 0x81, 0x9F], [0xE3, 0x80, 0x80],
    ] + (0x80...0x8A).map { [0xE2, 0x80, UInt8($0)] }

    private static func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, limit: Int) -> Int {
        let byte = bytes[index]
        if byte == 0x20 || byte == 0x09 { return 1 }
        guard byte >= 0xC2 else { return 0 }
        for space in wideSpaces where index + space.count <= limit {
            if space.indices.allSatisfy({ bytes[index + $0] == space[$0] }) { return space.count }
        }
        return 0
    }

    private static func whitespaceLength(_ bytes: UnsafeBufferPointer<UInt8>, endingAt end: Int, floor: Int) -> Int {
        let byte = bytes[end - 1]
        if byte == 0x20 || byte == 0x09 { return 1 }
        guard byte >= 0x80 else { return 0 }
        for space in wideSpaces where end - space.count >= floor {
            if space.indices.allSatisfy({ bytes[end - space.count + $0] == space[$0] }) { return space.count }
        }
        return 0
    }
}
