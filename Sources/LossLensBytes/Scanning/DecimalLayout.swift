/// Where the digits of a plain decimal are (`2.356`, `-0.5`, `5e-05`), so that numbers with their
/// digits at the same places are read from those places alone, with what `DecimalBytes.double`
/// gives.
///
/// A template's lines share their digit shape: every byte that is not a digit is the same, and the
/// digits are at the same places. So the first line of a shape tells, for each of its numbers, which
/// digits form the mantissa, how many of them follow the point, and which form a stated exponent;
/// the next lines skip the scan, its branches and its checks. Only layouts whose every filling is
/// within `DecimalBytes`' exact path are made (at most 15 mantissa digits, at most 3 exponent
/// digits); the one check that depends on the digits, the power of ten within ±22, is made per number.
@_spi(Layers) public struct DecimalLayout {
    @usableFromInline let isNegative: Bool
    /// Offsets from the number's first byte.
    @usableFromInline let integerDigits: Range<Int>
    @usableFromInline let fractionDigits: Range<Int>
    @usableFromInline let exponentDigits: Range<Int>
    @usableFromInline let exponentIsNegative: Bool
    /// The bytes the number takes.
    @usableFromInline let length: Int
    /// 10^(fraction digits), what the mantissa is divided by when no exponent is stated: the power
    /// of ten is then the same for every number of the layout.
    @usableFromInline let fractionScale: Double

    /// The layout of `number`, nil when reading it by layout could differ from `DecimalBytes.double`.
    @inline(__always)
    @_spi(Layers) public init?(_ number: ByteView) {
        self.init(number.buffer)
    }

    init?(_ number: UnsafeBufferPointer<UInt8>) {
        func digits(from start: Int) -> Range<Int> {
            var end = start
            while end < number.count, number[end] &- UInt8(ascii: "0") < 10 { end += 1 }
            return start..<end
        }
        guard let first = number.first else { return nil }
        isNegative = first == UInt8(ascii: "-")
        integerDigits = digits(from: isNegative || first == UInt8(ascii: "+") ? 1 : 0)
        var index = integerDigits.upperBound
        if index < number.count, number[index] == UInt8(ascii: ".") {
            fractionDigits = digits(from: index + 1)
            index = fractionDigits.upperBound
        } else {
            fractionDigits = index..<index
        }
        let mantissaDigits = integerDigits.count + fractionDigits.count
        guard mantissaDigits > 0, mantissaDigits <= 15 else { return nil }
        if index < number.count, number[index] == UInt8(ascii: "e") || number[index] == UInt8(ascii: "E") {
            let sign = index + 1 < number.count ? number[index + 1] : 0
            exponentIsNegative = sign == UInt8(ascii: "-")
            exponentDigits = digits(from: index + (exponentIsNegative || sign == UInt8(ascii: "+") ? 2 : 1))
            guard !exponentDigits.isEmpty, exponentDigits.count <= 3 else { return nil }
            index = exponentDigits.upperBound
        } else {
            exponentIsNegative = false
            exponentDigits = index..<index
        }
        guard index == number.count else { return nil }
        length = index
        fractionScale = DecimalBytes.powerOfTen(fractionDigits.count)
    }

    /// The value of the number at `offset` in `bytes`, a number of this layout; nil when its power
    /// of ten is beyond ±22 (then `DecimalBytes.double` must read it).
    @inlinable @inline(__always)
    @_spi(Layers) public func value(in bytes: ByteView, at offset: Int) -> Double? {
        precondition(offset >= 0 && offset <= bytes.count - length, "number out of range")
        return value(at: bytes.buffer.baseAddress.unsafelyUnwrapped + offset)
    }

    /// The value of the number starting at `start`, a number of this layout.
    @inlinable @inline(__always)
    func value(at start: UnsafePointer<UInt8>) -> Double? {
        var mantissa: UInt64 = 0
        for offset in integerDigits { mantissa = mantissa &* 10 &+ UInt64(start[offset] &- UInt8(ascii: "0")) }
        for offset in fractionDigits { mantissa = mantissa &* 10 &+ UInt64(start[offset] &- UInt8(ascii: "0")) }
        // What the general case below gives for an exponent of -(fraction digits), or for 0 (÷ 1).
        if exponentDigits.isEmpty { return isNegative ? -(Double(mantissa) / fractionScale) : Double(mantissa) / fractionScale }
        var stated = 0
        for offset in exponentDigits { stated = stated &* 10 &+ Int(start[offset] &- UInt8(ascii: "0")) }
        return DecimalBytes.scaled(mantissa, byPowerOfTen: (exponentIsNegative ? -stated : stated) - fractionDigits.count, negative: isNegative)
    }
}
