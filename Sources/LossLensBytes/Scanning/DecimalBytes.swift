/// Reads plain decimal numbers (`0.0296`, `-1.5e-3`, `12`) straight from bytes, with the same result
/// as `Double(String)` and `Int(String)`, without making a string: the hot path of log parsing.
///
/// A decimal of at most 19 significant digits whose value fits in 53 bits and whose power of ten is
/// within ±22 is exact as one multiplication or division of two exactly representable doubles
/// (Clinger's fast path); anything else falls back to `Double(String)`.
@_spi(Layers) public enum DecimalBytes {
    /// `mantissa` × 10^`exponent`, negated when `negative`; nil when the power of ten is beyond ±22.
    /// For a mantissa of at most 2^53 this is one correctly rounded operation on two exact doubles:
    /// the nearest double to the decimal.
    @usableFromInline
    static func scaled(_ mantissa: UInt64, byPowerOfTen exponent: Int, negative: Bool) -> Double? {
        guard exponent.magnitude <= 22 else { return nil }
        let magnitude = exponent >= 0 ? Double(mantissa) * powerOfTen(exponent) : Double(mantissa) / powerOfTen(-exponent)
        return negative ? -magnitude : magnitude
    }

    /// 10^`exponent` for 0...22, all exact doubles, as constants: a table (even of literals) is a
    /// global initialized on first use, and code inlined into other modules checks that for every
    /// number it reads.
    @inline(__always)
    static func powerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 0: return 1e0
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        case 15: return 1e15
        case 16: return 1e16
        case 17: return 1e17
        case 18: return 1e18
        case 19: return 1e19
        case 20: return 1e20
        case 21: return 1e21
        default: return 1e22
        }
    }

    /// `Double(String(decoding: bytes))`, without the string in the common case.
    /// `extraExponent` shifts the decimal exponent (a percentage is read with -2).
    @inline(__always)
    @_spi(Layers) public static func double(_ bytes: ByteView, extraExponent: Int = 0) -> Double? {
        double(bytes.buffer, extraExponent: extraExponent)
    }

    static func double(_ bytes: UnsafeBufferPointer<UInt8>, extraExponent: Int = 0) -> Double? {
        if let fast = fastDouble(bytes, extraExponent: extraExponent) { return fast }
        // `Double(String)` reads hexadecimal (`0x10` is 16): not a decimal, nor is `1_000`.
        if bytes.contains(where: { $0 | 0x20 == UInt8(ascii: "x") || $0 == UInt8(ascii: "_") }) { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        return Double(extraExponent == 0 ? text : text + "e\(extraExponent)")
    }

    /// Digits are summed without overflow checks: a number of more than 19 digits is read again by
    /// `significantDigits`, which counts only significant ones.
    private static func fastDouble(_ bytes: UnsafeBufferPointer<UInt8>, extraExponent: Int) -> Double? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        let count = bytes.count
        let negative = base[0] == UInt8(ascii: "-")
        var index = negative || base[0] == UInt8(ascii: "+") ? 1 : 0
        var mantissa: UInt64 = 0
        let integerStart = index
        while index < count, case let digit = base[index] &- UInt8(ascii: "0"), digit < 10 {
            mantissa = mantissa &* 10 &+ UInt64(digit)
            index += 1
        }
        var digits = index - integerStart
        var exponent = extraExponent
        if index < count, base[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < count, case let digit = base[index] &- UInt8(ascii: "0"), digit < 10 {
                mantissa = mantissa &* 10 &+ UInt64(digit)
                index += 1
            }
            exponent -= index - fractionStart
            digits += index - fractionStart
        }
        guard digits > 0 else { return nil }
        if digits > 19 {
            guard let significant = significantDigits(bytes, from: negative || base[0] == UInt8(ascii: "+") ? 1 : 0) else { return nil }
            (mantissa, exponent, index) = (significant.mantissa, extraExponent + significant.exponent, significant.end)
        }
        if index < count, base[index] == UInt8(ascii: "e") || base[index] == UInt8(ascii: "E") {
            index += 1
            guard let stated = integer(UnsafeBufferPointer(rebasing: bytes[index...])), abs(stated) < 1000 else { return nil }
            exponent += stated
            index = count
        }
        guard index == count, mantissa <= 1 << 53 else { return nil }
        return scaled(mantissa, byPowerOfTen: exponent, negative: negative)
    }

    /// The digits from `start` (with a fraction) as a mantissa and a power of ten, when at most 19
    /// of them are significant (leading zeros are not): `0.000000000000000000001` still fits.
    private static func significantDigits(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int
    ) -> (mantissa: UInt64, exponent: Int, end: Int)? {
        var index = start
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var inFraction = false
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "."), !inFraction {
                inFraction = true
                index += 1
                continue
            }
            guard let digit = digitValue(bytes[index]) else { break }
            if significant > 0 || digit != 0 { significant += 1 }
            if significant > 19 { return nil }
            mantissa = mantissa * 10 + UInt64(digit)
            if inFraction { exponent -= 1 }
            index += 1
        }
        return (mantissa, exponent, index)
    }

    /// `Int(String(decoding: bytes))`: optional sign, decimal digits, nil on overflow or anything else.
    @inline(__always)
    @_spi(Layers) public static func integer(_ bytes: ByteView) -> Int? {
        integer(bytes.buffer)
    }

    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        guard index < bytes.count else { return nil }
        var value = 0
        while index < bytes.count {
            guard let digit = digitValue(bytes[index]) else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = next
            index += 1
        }
        return value
    }

    @inline(__always)
    private static func digitValue(_ byte: UInt8) -> Int? {
        byte &- UInt8(ascii: "0") < 10 ? Int(byte &- UInt8(ascii: "0")) : nil
    }
}
