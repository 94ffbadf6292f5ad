/// Writes a double as `description` writes it (the shortest digits that read back as the same
/// double), without making a `String`: a report of a long run holds a hundred thousand values.
///
/// Values read from logs have a few digits. When some `m / 10^k` with at most 15 digits reads back
/// as the value, those digits are the value's shortest (two different decimals of at most 15
/// digits never read back as one double), and the first such `k` is the shortest `m`. Other values
/// are left to `description`.
@_spi(Layers) public enum ShortestDecimal {
    /// The most bytes `write` writes: a sign, 15 digits, `0.000` before them or `e-XX` after them.
    static let maximumLength = 32

    /// Appends `value` as `value.description` spells it; false, with nothing appended, when the
    /// value is not one of the few-digit ones this writes (then use `description`).
    @_spi(Layers) public static func append(_ value: Double, to output: inout [UInt8]) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumLength) { text in
            let count = write(value, into: text.baseAddress!)
            output.append(contentsOf: text[..<count])
            return count > 0
        }
    }

    /// Writes `value` as `value.description` spells it into the `maximumLength` bytes at `text`;
    /// returns the bytes written, 0 when it declines.
    static func write(_ value: Double, into text: UnsafeMutablePointer<UInt8>) -> Int {
        let magnitude = value.magnitude
        // Swift writes 1e-4 ..< 2^53 in positional form, smaller values with an exponent.
        guard magnitude >= 1e-20, magnitude < 1e15 else { return 0 }
        // 10^scale is an exact double up to 10^22, so `m / 10^k` is correctly rounded.
        for scale in 0...22 {
            let scaled = magnitude * DecimalBytes.powerOfTen(scale)
            guard scaled < 1e15 else { return 0 }
            // `rounded()` is a call into libm on the baseline x86-64 target; below 2^52 this is exact.
            let digits = Double(UInt64(scaled + 0.5))
            // When `digits / 10^scale` reads back as the value, `scaled` is within a few units in
            // the last place of `digits`: farther off, the division (slow) cannot succeed.
            guard (scaled - digits).magnitude <= digits * 0x1p-40, digits / DecimalBytes.powerOfTen(scale) == magnitude else { continue }
            let sign = value < 0 ? 1 : 0
            if sign == 1 { text[0] = UInt8(ascii: "-") }
            return sign + write(UInt64(digits), scale: scale, positional: magnitude >= 1e-4, into: text + sign)
        }
        return 0
    }

    /// `digits / 10^scale` in Swift's layout: `12.5`, `0.00012`, `100.0`, `4.5e-07`, `5e-05`.
    private static func write(_ digits: UInt64, scale: Int, positional: Bool, into text: UnsafeMutablePointer<UInt8>) -> Int {
        let count = DecimalDigits.count(of: digits)
        var end = text
        func append(_ byte: UInt8) {
            end[0] = byte
            end += 1
        }
        /// The last `width` digits of `value`, with leading zeros.
        func append(_ value: UInt64, width: Int) {
            DecimalDigits.write(value, width: width, into: end)
            end += width
        }
        if positional {
            if scale < count {
                // An exact integer: `scale` < `count` ≤ 15.
                let unit = UInt64(DecimalBytes.powerOfTen(scale))
                append(digits / unit, width: count - scale)
                append(UInt8(ascii: "."))
                if scale == 0 {
                    append(UInt8(ascii: "0"))
                } else {
                    append(digits % unit, width: scale)
                }
            } else {
                append(UInt8(ascii: "0"))
                append(UInt8(ascii: "."))
                append(digits, width: scale)
            }
            return end - text
        }
        let unit = UInt64(DecimalBytes.powerOfTen(count - 1))
        append(UInt8(ascii: "0") + UInt8(digits / unit))
        if count > 1 {
            append(UInt8(ascii: "."))
            append(digits % unit, width: count - 1)
        }
        // Below 1e-4 and above 1e-21: a negative exponent of two digits.
        append(UInt8(ascii: "e"))
        append(UInt8(ascii: "-"))
        append(UInt64(scale - count + 1), width: 2)
        return end - text
    }
}

/// The decimal digits of an integer, written in place two at a time.
enum DecimalDigits {
    /// The most digits an integer has.
    static let maximumCount = 20

    /// `00`, `01`, … `99`: a division by 100 gives two digits.
    private static var pairs: UnsafePointer<UInt8> {
        let pairs: StaticString = """
            0001020304050607080910111213141516171819202122232425262728293031323334353637383940414243444546474849\
            5051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899
            """
        return pairs.utf8Start
    }

    /// How many digits `value` has.
    static func count(of value: UInt64) -> Int {
        var count = 1
        var rest = value
        while rest >= 100 {
            rest /= 100
            count += 2
        }
        return rest >= 10 ? count + 1 : count
    }

    /// Writes the last `width` digits of `value` at `text`, with leading zeros when it has fewer.
    static func write(_ value: UInt64, width: Int, into text: UnsafeMutablePointer<UInt8>) {
        var rest = value
        var end = width
        while end >= 2 {
            let pair = Int(rest % 100) &* 2
            rest /= 100
            end -= 2
            text[end] = pairs[pair]
            text[end + 1] = pairs[pair + 1]
        }
        if end == 1 { text[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10) }
    }
}

extension Array where Element == UInt8 {
    @_spi(Layers) public mutating func append(_ bytes: ByteView) {
        append(contentsOf: bytes.buffer)
    }
}
