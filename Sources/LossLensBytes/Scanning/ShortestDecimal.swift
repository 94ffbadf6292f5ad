/// Writes a double as `description` writes it (the shortest digits that read back as the same
/// double), without making a `String`: a report of a long run holds a hundred thousand values.
///
/// Values read from logs have a few digits. When some `m / 10^k` with at most 15 digits reads back
/// as the value, those digits are the value's shortest (two different decimals of at most 15
/// digits never read back as one double), and the first such `k` is the shortest `m`. Other values
/// are left to `description`.
@_spi(Layers) public enum ShortestDecimal {
    /// 10^0 through 10^22: exact doubles, so `m / 10^k` is correctly rounded.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Appends `value` as `value.description` spells it; false, with nothing appended, when the
    /// value is not one of the few-digit ones this writes (then use `description`).
    @_spi(Layers) public static func append(_ value: Double, to output: inout [UInt8]) -> Bool {
        write(value, to: &output)
    }

    /// `append`, to any place that takes bytes (the JSON report writes them in place).
    @_spi(Layers) public static func write<Output: ByteOutput>(_ value: Double, to output: inout Output) -> Bool {
        let magnitude = value.magnitude
        // Swift writes 1e-4 ..< 2^53 in positional form, smaller values with an exponent.
        guard magnitude >= 1e-20, magnitude < 1e15 else { return false }
        for scale in 0..<powersOfTen.count {
            let scaled = magnitude * powersOfTen[scale]
            guard scaled < 1e15 else { return false }
            // `rounded()` is a call into libm on the baseline x86-64 target; below 2^52 this is exact.
            let digits = Double(UInt64(scaled + 0.5))
            // When `digits / 10^scale` reads back as the value, `scaled` is within a few units in
            // the last place of `digits`: farther off, the division (slow) cannot succeed.
            guard (scaled - digits).magnitude <= digits * 0x1p-40, digits / powersOfTen[scale] == magnitude else { continue }
            if value < 0 { output.append(UInt8(ascii: "-")) }
            write(UInt64(digits), scale: scale, positional: magnitude >= 1e-4, to: &output)
            return true
        }
        return false
    }

    /// `digits / 10^scale` in Swift's layout: `12.5`, `0.00012`, `100.0`, `4.5e-07`, `5e-05`.
    private static func write<Output: ByteOutput>(_ digits: UInt64, scale: Int, positional: Bool, to output: inout Output) {
        DecimalDigits.withDigits(of: digits) { figures in
            let count = figures.count
            if positional {
                if count > scale {
                    output.append(ByteView(UnsafeBufferPointer(rebasing: figures[..<(count - scale)])))
                    output.append(UInt8(ascii: "."))
                    if scale == 0 {
                        output.append(UInt8(ascii: "0"))
                    } else {
                        output.append(ByteView(UnsafeBufferPointer(rebasing: figures[(count - scale)...])))
                    }
                } else {
                    output.append(UInt8(ascii: "0"))
                    output.append(UInt8(ascii: "."))
                    for _ in 0..<(scale - count) { output.append(UInt8(ascii: "0")) }
                    output.append(ByteView(figures))
                }
                return
            }
            output.append(figures[0])
            if count > 1 {
                output.append(UInt8(ascii: "."))
                output.append(ByteView(UnsafeBufferPointer(rebasing: figures[1...])))
            }
            // Below 1e-4 and above 1e-21: a negative exponent of two digits.
            let exponent = scale - count + 1
            output.append(UInt8(ascii: "e"))
            output.append(UInt8(ascii: "-"))
            output.append(UInt8(ascii: "0") + UInt8(exponent / 10))
            output.append(UInt8(ascii: "0") + UInt8(exponent % 10))
        }
    }
}

/// The decimal digits of an integer, made on the stack.
@_spi(Layers) public enum DecimalDigits {
    /// Appends the digits of `value` to `output`.
    @_spi(Layers) public static func write<Output: ByteOutput>(_ value: UInt64, to output: inout Output) {
        withDigits(of: value) { output.append(ByteView($0)) }
    }

    static func withDigits<Result>(of value: UInt64, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &text) { raw in
            let buffer = raw.bindMemory(to: UInt8.self)
            var remaining = value
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
                remaining /= 10
            } while remaining > 0
            return body(UnsafeBufferPointer(rebasing: buffer[start...]))
        }
    }

    @_spi(Layers) public static func append(_ value: UInt64, to output: inout [UInt8]) {
        withDigits(of: value) { output.append(contentsOf: $0) }
    }
}

/// Where text is written a byte or a run of bytes at a time.
@_spi(Layers) public protocol ByteOutput {
    mutating func append(_ byte: UInt8)
    mutating func append(_ bytes: ByteView)
}

@_spi(Layers) extension Array: ByteOutput where Element == UInt8 {
    @_spi(Layers) public mutating func append(_ bytes: ByteView) {
        append(contentsOf: bytes.buffer)
    }
}
