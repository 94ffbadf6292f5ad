/// A cell read byte by byte as a plain decimal: an optional minus, digits and at most one point,
/// at least one digit and at most 19. Its value is the one `DecimalBytes` gives such a cell on its
/// fast path (one correctly rounded division), when that path applies.
struct PlainDecimal {
    let start: Int
    private var mantissa: UInt64 = 0
    /// Where the point is, if any.
    private var point = -1
    private var negative = false
    private var isPlain = true

    init(start: Int) {
        self.start = start
    }

    @inline(__always)
    mutating func add(_ byte: UInt8, at index: Int) {
        let digit = byte &- UInt8(ascii: "0")
        if digit < 10 {
            mantissa = mantissa &* 10 &+ UInt64(digit)
        } else if byte == UInt8(ascii: "."), point < 0 {
            point = index
        } else if byte == UInt8(ascii: "-"), index == start {
            negative = true
        } else {
            isPlain = false
        }
    }

    @inline(__always)
    func value(endingAt end: Int) -> Double? {
        let fractionDigits = point < 0 ? 0 : end &- point &- 1
        let digits = end &- start &- (point < 0 ? 0 : 1) &- (negative ? 1 : 0)
        guard isPlain, digits > 0, digits <= 19, mantissa <= 1 << 53, fractionDigits <= 22 else { return nil }
        let magnitude = Double(mantissa) / DecimalBytes.powerOfTen(fractionDigits)
        return negative ? -magnitude : magnitude
    }

    /// Where the minus, the digits and the point of a plain decimal of at most eight bytes are: all
    /// its value depends on but the digits themselves, so cells of one digit shape share it.
    struct Layout {
        var negative = false
        /// Where the point is among the bytes after the minus; -1: none.
        var point: Int8 = -1
        var digits: UInt8 = 0
        var fractionDigits: UInt8 = 0
    }

    /// The layout of the plain decimal in the low `length` bytes (1...8) of `word`, the cell's first
    /// byte lowest, or nil when they are not one: what reading them one by one tells, eight at a time.
    @inline(__always)
    static func layout(of word: UInt64, length: Int) -> Layout? {
        let used = lowBytes(length)
        var digits = word & used
        var others = nonDigitBytes(digits) & used
        var layout = Layout()
        var count = length
        if others & 0x80 != 0, digits & 0xFF == UInt64(UInt8(ascii: "-")) {
            layout.negative = true
            digits &>>= 8
            others &>>= 8
            count &-= 1
        }
        if others != 0 {
            // Only one point may be left.
            guard others & (others &- 1) == 0 else { return nil }
            let point = others.trailingZeroBitCount &>> 3
            guard (digits &>> UInt64(8 &* point)) & 0xFF == UInt64(UInt8(ascii: ".")) else { return nil }
            layout.point = Int8(truncatingIfNeeded: point)
            layout.fractionDigits = UInt8(truncatingIfNeeded: count &- point &- 1)
            count &-= 1
        }
        guard count > 0 else { return nil }
        layout.digits = UInt8(truncatingIfNeeded: count)
        return layout
    }

    /// A cell of a layout worked out into the steps that read it: load the eight bytes where it
    /// starts (the line's last eight when it ends within them), keep the cell's bytes, drop the
    /// minus, take the point out, align the digits as eight with leading zeros, turn them into
    /// their value (two, four, then eight digits at a time) and divide by the power of ten. A cell
    /// of a line of the same digit shape is read by the same steps.
    struct Reading {
        private let load: Int
        private let loadShift: UInt64
        private let bytes: UInt64
        private let minusShift: UInt64
        /// The bytes before the point (all when there is none), and the shifts that close the gap
        /// the point leaves: past the last byte a shift of 63 leaves nothing, as ASCII bytes have
        /// no high bit.
        private let beforePoint: UInt64
        private let afterPointShift: UInt64
        private let pointShift: UInt64
        private let zeros: UInt64
        private let alignShift: UInt64
        private let divisor: Double
        private let sign: UInt64

        /// Of a cell at `start..<start + length` of a line of `lineLength` bytes (at least eight).
        init(_ layout: Layout, start: Int, length: Int, lineLength: Int) {
            load = Swift.min(start, lineLength &- 8)
            loadShift = UInt64(8 &* (start &- load))
            bytes = PlainDecimal.lowBytes(length)
            minusShift = layout.negative ? 8 : 0
            let point = Int(layout.point)
            beforePoint = point < 0 ? ~0 : PlainDecimal.lowBytes(point)
            afterPointShift = point < 0 ? 63 : UInt64(Swift.min(8 &* (point &+ 1), 63))
            pointShift = point < 0 ? 0 : UInt64(8 &* point)
            let count = Int(layout.digits)
            zeros = 0x3030_3030_3030_3030 & PlainDecimal.lowBytes(count)
            alignShift = UInt64(8 &* (8 &- count))
            divisor = DecimalBytes.powerOfTen(Int(layout.fractionDigits))
            sign = layout.negative ? (-0.0 as Double).bitPattern : 0
        }

        /// The value of the cell in `line`.
        @inline(__always)
        func value(in line: UnsafeRawBufferPointer) -> Double {
            let word = line.loadUnaligned(fromByteOffset: load, as: UInt64.self).littleEndian &>> loadShift
            var digits = (word & bytes) &>> minusShift
            digits = digits & beforePoint | (digits &>> afterPointShift) &<< pointShift
            var value = (digits &- zeros) &<< alignShift
            value = value &* 10 &+ value &>> 8
            value = ((value & 0x0000_00FF_0000_00FF) &* (100 &+ (1_000_000 &<< 32))
                &+ ((value &>> 16) & 0x0000_00FF_0000_00FF) &* (1 &+ (10_000 &<< 32))) &>> 32
            return Double(bitPattern: (Double(value) / divisor).bitPattern | sign)
        }
    }

    /// The high bit of each byte of `word` that is not an ASCII digit: a byte is a digit when its
    /// high nibble is 3 and its low nibble plus 6 stays below 16.
    @inline(__always)
    static func nonDigitBytes(_ word: UInt64) -> UInt64 {
        let y = word ^ 0x3030_3030_3030_3030
        let notDigit = (y & 0xF0F0_F0F0_F0F0_F0F0) | ((y & 0x0F0F_0F0F_0F0F_0F0F) &+ 0x0606_0606_0606_0606) & 0x1010_1010_1010_1010
        return (((notDigit & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | notDigit) & 0x8080_8080_8080_8080
    }

    /// `word` with every byte whose low seven bits are a digit made `0` (`0xB5` becomes `0xB0`):
    /// two lines whose words all have the same digit shape differ only in digits and in such bytes
    /// (never in a delimiter, a point or a minus, so their cells have the same places and shapes).
    /// The high bit of each byte is set first, so that subtracting a bound per byte borrows
    /// nothing from the next byte.
    @inline(__always)
    static func digitShape(_ word: UInt64) -> UInt64 {
        let high = word | 0x8080_8080_8080_8080
        let digits = (high &- 0x3030_3030_3030_3030) & ~(high &- 0x3A3A_3A3A_3A3A_3A3A) & 0x8080_8080_8080_8080
        return word & ~((digits &>> 7) &* 0x0F)
    }

    /// The low `count` bytes (0...8) of a word set.
    @inline(__always)
    private static func lowBytes(_ count: Int) -> UInt64 {
        count >= 8 ? ~0 : (1 &<< UInt64(8 &* count)) &- 1
    }
}
