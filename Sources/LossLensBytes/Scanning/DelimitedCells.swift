/// The cells of a line split at a delimiter byte (a table row without quotes), read in the same
/// pass: a cell that is empty or a plain decimal (`-0.25`, `12`, `.5`: an optional minus, at most
/// 19 digits, at most one point) is read at once, with the result `DecimalBytes.double` gives; any
/// other cell gets a value (what the caller reads it as) made when first asked for on the line.
///
/// Most cells of a metrics table are numbers or empty, so most rows need nothing more than this
/// one pass. The offsets and values live in memory of their own, as in `IndexMemo`: the cells of
/// a large table are asked for several times each, and an array would check on every write that
/// no copy shares its storage.
@_spi(Layers) public final class DelimitedCells<Value: BitwiseCopyable> {
    @_spi(Layers) public enum Shape: UInt8 {
        case empty, decimal, other
    }

    /// Where each cell ends (at the delimiter after it, or at the end of the line), its shape, and
    /// its number when it is a plain decimal.
    private var ends: UnsafeMutablePointer<Int>
    private var shapes: UnsafeMutablePointer<Shape>
    private var numbers: UnsafeMutablePointer<Double>
    /// Per cell, the line the value of an `other` cell was made for (0: never), and the value.
    private var rounds: UnsafeMutablePointer<UInt32>
    private var values: UnsafeMutablePointer<Value>
    private var capacity: Int
    private var line = ByteView.empty
    private var round: UInt32 = 1
    @_spi(Layers) public private(set) var count = 0
    /// How many cells are neither empty nor a plain decimal.
    @_spi(Layers) public private(set) var otherCount = 0

    @_spi(Layers) public init(capacity: Int = 16) {
        self.capacity = Swift.max(2, capacity)
        ends = .allocate(capacity: self.capacity)
        shapes = .allocate(capacity: self.capacity)
        numbers = .allocate(capacity: self.capacity)
        rounds = .allocate(capacity: self.capacity)
        values = .allocate(capacity: self.capacity)
        rounds.initialize(repeating: 0, count: self.capacity)
    }

    deinit {
        ends.deallocate()
        shapes.deallocate()
        numbers.deallocate()
        rounds.deallocate()
        values.deallocate()
    }

    /// Makes the cells those of `line`, split at every `delimiter`; valid while the line's bytes are.
    @_spi(Layers) public func split(_ line: ByteView, delimiter: UInt8) {
        self.line = line
        round &+= 1
        if round == 0 {
            // After 2^32 lines the stamps start over.
            rounds.update(repeating: 0, count: capacity)
            round = 1
        }
        let raw = UnsafeRawBufferPointer(line.buffer)
        var cells = 0
        findDelimiters(delimiter, in: raw) { index in
            if cells &+ 1 >= capacity { grow() }
            ends[cells] = index
            cells &+= 1
        }
        ends[cells] = raw.count
        count = cells &+ 1
        otherCount = 0
        var start = 0
        for cell in 0..<count {
            let end = ends[cell]
            read(cell, from: start, to: end, of: raw)
            start = end &+ 1
        }
    }

    /// Calls `found` with the index of every `delimiter` in `raw`, in order, eight bytes at a time:
    /// a byte of `word ^ pattern` is zero where the delimiter is, and `(x & 0x7F…) + 0x7F…` sets
    /// the high bit of every byte of x whose low seven bits are not all zero.
    @inline(__always)
    private func findDelimiters(_ delimiter: UInt8, in raw: UnsafeRawBufferPointer, _ found: (Int) -> Void) {
        let pattern = UInt64(delimiter) &* 0x0101_0101_0101_0101
        @inline(__always) func matches(_ word: UInt64) -> UInt64 {
            let x = word ^ pattern
            return ~(((x & Self.low7) &+ Self.low7) | x | Self.low7)
        }
        var index = 0
        while index &+ 8 <= raw.count {
            var bits = matches(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self).littleEndian)
            while bits != 0 {
                found(index &+ bits.trailingZeroBitCount &>> 3)
                bits &= bits &- 1
            }
            index &+= 8
        }
        let left = raw.count &- index
        guard left > 0 else { return }
        if raw.count >= 8 {
            // The last eight bytes, of which the first `8 - left` were looked at already.
            let last = raw.count &- 8
            var bits = matches(raw.loadUnaligned(fromByteOffset: last, as: UInt64.self).littleEndian)
                & ~((1 &<< UInt64(8 &* (8 &- left))) &- 1)
            while bits != 0 {
                found(last &+ bits.trailingZeroBitCount &>> 3)
                bits &= bits &- 1
            }
        } else {
            while index < raw.count {
                if raw[index] == delimiter { found(index) }
                index &+= 1
            }
        }
    }

    private static var low7: UInt64 { 0x7F7F_7F7F_7F7F_7F7F }

    /// Reads cell `cell`, the bytes `start..<end` of `raw`.
    @inline(__always)
    private func read(_ cell: Int, from start: Int, to end: Int, of raw: UnsafeRawBufferPointer) {
        let length = end &- start
        let number: Double?
        if length == 0 {
            shapes[cell] = .empty
            return
        } else if length <= 8, raw.count >= 8 {
            // The cell in the low bytes of a word, read from where eight bytes are.
            let word = start &+ 8 <= raw.count
                ? raw.loadUnaligned(fromByteOffset: start, as: UInt64.self).littleEndian
                : raw.loadUnaligned(fromByteOffset: raw.count &- 8, as: UInt64.self).littleEndian &>> UInt64(8 &* (start &+ 8 &- raw.count))
            number = PlainDecimal.value(of: word, length: length)
        } else {
            var decimal = PlainDecimal(start: start)
            for index in start..<end { decimal.add(raw[index], at: index) }
            number = decimal.value(endingAt: end)
        }
        if let number {
            shapes[cell] = .decimal
            numbers[cell] = number
        } else {
            shapes[cell] = .other
            otherCount &+= 1
        }
    }

    @inline(__always)
    @_spi(Layers) public func shape(_ index: Int) -> Shape {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: count), "cell index out of range")
        return shapes[index]
    }

    /// The number of a `decimal` cell.
    @inline(__always)
    @_spi(Layers) public func number(_ index: Int) -> Double {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: count) && shapes[index] == .decimal, "not a decimal cell")
        return numbers[index]
    }

    /// The bytes of cell `index`.
    @inline(__always)
    @_spi(Layers) public func cell(_ index: Int) -> ByteView {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: count), "cell index out of range")
        let start = index == 0 ? 0 : ends[index - 1] + 1
        return ByteView(UnsafeBufferPointer(rebasing: line.buffer[start..<ends[index]]))
    }

    /// The value of cell `index`, made by `compute` from its bytes the first time it is asked for
    /// on this line.
    @inline(__always)
    @_spi(Layers) public func value(at index: Int, _ compute: (ByteView) -> Value) -> Value {
        precondition(UInt(bitPattern: index) < UInt(bitPattern: count), "cell index out of range")
        if rounds[index] == round { return values[index] }
        let value = compute(cell(index))
        values[index] = value
        rounds[index] = round
        return value
    }

    private func grow() {
        let old = capacity
        capacity = 2 * old
        ends = Self.moved(ends, from: old, to: capacity)
        shapes = Self.moved(shapes, from: old, to: capacity)
        numbers = Self.moved(numbers, from: old, to: capacity)
        values = Self.moved(values, from: old, to: capacity)
        rounds = Self.moved(rounds, from: old, to: capacity)
        (rounds + old).initialize(repeating: 0, count: capacity - old)
    }

    private static func moved<Element>(_ old: UnsafeMutablePointer<Element>, from count: Int, to capacity: Int) -> UnsafeMutablePointer<Element> {
        let new = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        new.initialize(from: old, count: count)
        old.deallocate()
        return new
    }
}

/// A cell read byte by byte as a plain decimal: an optional minus, digits and at most one point,
/// at least one digit and at most 19. Its value is the one `DecimalBytes` gives such a cell on its
/// fast path (one correctly rounded division), when that path applies.
private struct PlainDecimal {
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

    /// The value of the plain decimal in the low `length` bytes (1...8) of `word`, the cell's first
    /// byte lowest, or nil when they are not one: what reading them one by one gives, eight at a time.
    @inline(__always)
    static func value(of word: UInt64, length: Int) -> Double? {
        var used: UInt64 = length == 8 ? ~0 : (1 &<< UInt64(8 &* length)) &- 1
        var digits = word & used
        // A byte is a digit when its high nibble is 3 and its low nibble plus 6 stays below 16.
        let y = digits ^ 0x3030_3030_3030_3030
        let notDigit = (y & 0xF0F0_F0F0_F0F0_F0F0) | ((y & 0x0F0F_0F0F_0F0F_0F0F) &+ 0x0606_0606_0606_0606) & 0x1010_1010_1010_1010
        // The high bit of each byte that is not a digit.
        var others = (((notDigit & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | notDigit) & 0x8080_8080_8080_8080 & used
        var count = length
        var negative = false
        if others & 0x80 != 0, digits & 0xFF == UInt64(UInt8(ascii: "-")) {
            negative = true
            digits &>>= 8
            others &>>= 8
            used &>>= 8
            count &-= 1
        }
        var fractionDigits = 0
        if others != 0 {
            // Only one point may be left.
            guard others & (others &- 1) == 0 else { return nil }
            let point = others.trailingZeroBitCount &>> 3
            guard (digits &>> UInt64(8 &* point)) & 0xFF == UInt64(UInt8(ascii: ".")) else { return nil }
            let below: UInt64 = (1 &<< UInt64(8 &* point)) &- 1
            // `>>`, not `&>>`: past a point in the eighth byte the shift is 64, which leaves nothing.
            digits = digits & below | (digits >> UInt64(8 &* (point &+ 1))) &<< UInt64(8 &* point)
            fractionDigits = count &- point &- 1
            count &-= 1
            used &>>= 8
        }
        guard count > 0 else { return nil }
        // The digits, the first lowest, as eight with leading zeros, into their value (two, four,
        // then eight digits at a time).
        var value = (digits &- (0x3030_3030_3030_3030 & used)) &<< UInt64(8 &* (8 &- count))
        value = value &* 10 &+ value &>> 8
        value = ((value & 0x0000_00FF_0000_00FF) &* (100 &+ (1_000_000 &<< 32))
            &+ ((value &>> 16) & 0x0000_00FF_0000_00FF) &* (1 &+ (10_000 &<< 32))) &>> 32
        let magnitude = Double(value) / DecimalBytes.powerOfTen(fractionDigits)
        return negative ? -magnitude : magnitude
    }

    @inline(__always)
    func value(endingAt end: Int) -> Double? {
        let fractionDigits = point < 0 ? 0 : end &- point &- 1
        let digits = end &- start &- (point < 0 ? 0 : 1) &- (negative ? 1 : 0)
        guard isPlain, digits > 0, digits <= 19, mantissa <= 1 << 53, fractionDigits <= 22 else { return nil }
        let magnitude = Double(mantissa) / DecimalBytes.powerOfTen(fractionDigits)
        return negative ? -magnitude : magnitude
    }
}
