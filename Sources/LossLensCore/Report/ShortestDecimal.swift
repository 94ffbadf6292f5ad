/// Writes a double as `description` writes it (the shortest digits that read back as the same
/// double), without making a `String`: a report of a long run holds a hundred thousand values.
///
/// Values read from logs have a few digits. When some `m / 10^k` with at most 15 digits reads back
/// as the value, those digits are the value's shortest (two different decimals of at most 15
/// digits never read back as one double), and the first such `k` is the shortest `m`. Other values
/// are left to `description`.
enum ShortestDecimal {
    /// 10^0 through 10^22: exact doubles, so `m / 10^k` is correctly rounded.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Appends `value` as `value.description` spells it; false, with nothing appended, when the
    /// value is not one of the few-digit ones this writes (then use `description`).
    static func append(_ value: Double, to output: inout [UInt8]) -> Bool {
        let magnitude = value.magnitude
        // Swift writes 1e-4 ..< 2^53 in positional form, smaller values with an exponent.
        guard magnitude >= 1e-20, magnitude < 1e15 else { return false }
        for scale in 0..<powersOfTen.count {
            let scaled = magnitude * powersOfTen[scale]
            guard scaled < 1e15 else { return false }
            let digits = scaled.rounded()
            guard digits / powersOfTen[scale] == magnitude else { continue }
            if value < 0 { output.append(UInt8(ascii: "-")) }
            write(UInt64(digits), scale: scale, positional: magnitude >= 1e-4, to: &output)
            return true
        }
        return false
    }

    /// `digits / 10^scale` in Swift's layout: `12.5`, `0.00012`, `100.0`, `4.5e-07`, `5e-05`.
    private static func write(_ digits: UInt64, scale: Int, positional: Bool, to output: inout [UInt8]) {
        var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &text) { buffer in
            var remaining = digits
            var count = 0
            repeat {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                count += 1
            } while remaining > 0
            let figures = buffer[(24 - count)...]
            if positional {
                if count > scale {
                    output.append(contentsOf: figures.prefix(count - scale))
                    output.append(UInt8(ascii: "."))
                    if scale == 0 {
                        output.append(UInt8(ascii: "0"))
                    } else {
                        output.append(contentsOf: figures.suffix(scale))
                    }
                } else {
                    output.append(UInt8(ascii: "0"))
                    output.append(UInt8(ascii: "."))
                    output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: scale - count))
                    output.append(contentsOf: figures)
                }
                return
            }
            output.append(figures[figures.startIndex])
            if count > 1 {
                output.append(UInt8(ascii: "."))
                output.append(contentsOf: figures.dropFirst())
            }
            // Below 1e-4 and above 1e-21: a negative exponent of two digits.
            let exponent = scale - count + 1
            output.append(contentsOf: [UInt8(ascii: "e"), UInt8(ascii: "-"),
                                       UInt8(ascii: "0") + UInt8(exponent / 10), UInt8(ascii: "0") + UInt8(exponent % 10)])
        }
    }
}
