/// Reads plain decimal numbers (`0.0296`, `-1.5e-3`, `12`) straight from bytes, with the same result
/// as `Double(String)` and `Int(String)`, without making a string: the hot path of log parsing.
///
/// A decimal of at most 19 significant digits whose value fits in 53 bits and whose power of ten is
/// within ±22 is exact as one multiplication or division of two exactly representable doubles
/// (Clinger's fast path); anything else falls back to `Double(String)`.
enum DecimalBytes {
    /// 10^0 ... 10^22, all exact doubles, in memory of their own: this is read for every number, and
    /// a global array would cost a bounds check and a tuple a copy each time.
    private static let powersOfTen: UnsafePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 23)
        var power = 1.0
        for exponent in 0..<23 {
            table[exponent] = power
            power *= 10
        }
        return UnsafePointer(table)
    }()

    @inline(__always)
    private static func powerOfTen(_ exponent: Int) -> Double {
        powersOfTen[exponent]
    }

    /// `Double(String(decoding: bytes))`, without the string in the common case.
    /// `extraExponent` shifts the decimal exponent (a percentage is read with -2).
    static func double(_ bytes: UnsafeBufferPointer<UInt8>, extraExponent: Int = 0) -> Double? {
        if let fast = fastDouble(bytes, extraExponent: extraExponent) { return fast }
        let text = String(decoding: bytes, as: UTF8.self)
        return Double(extraExponent == 0 ? text : text + "e\(extraExponent)")
    }

    private static func fastDouble(_ bytes: UnsafeBufferPointer<UInt8>, extraExponent: Int) -> Double? {
        var index = 0
        let count = bytes.count
        var negative = false
        if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var significant = 0
        var exponent = extraExponent
        while index < count, let digit = digitValue(bytes[index]) {
            if significant > 0 || digit != 0 { significant += 1 }
            if significant > 19 { return nil }
            mantissa = mantissa * 10 + UInt64(digit)
            digits += 1
            index += 1
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < count, let digit = digitValue(bytes[index]) {
                if significant > 0 || digit != 0 { significant += 1 }
                if significant > 19 { return nil }
                mantissa = mantissa * 10 + UInt64(digit)
                exponent -= 1
                digits += 1
                index += 1
            }
        }
        guard digits > 0 else { return nil }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            guard let stated = integer(UnsafeBufferPointer(rebasing: bytes[index...])), abs(stated) < 1000 else { return nil }
            exponent += stated
            index = count
        }
        guard index == count, mantissa <= 1 << 53, abs(exponent) <= 22 else { return nil }
        // One correctly rounded operation on two exact doubles: the nearest double to the decimal.
        let magnitude = exponent >= 0 ? Double(mantissa) * powerOfTen(exponent) : Double(mantissa) / powerOfTen(-exponent)
        return negative ? -magnitude : magnitude
    }

    /// `Int(String(decoding: bytes))`: optional sign, decimal digits, nil on overflow or anything else.
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
