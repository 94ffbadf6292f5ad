/// The cells of a line split at a delimiter byte (a table row without quotes), read in the same
/// pass: a cell that is empty or a plain decimal (`-0.25`, `12`, `.5`: an optional minus, at most
/// 19 digits, at most one point) is read at once, with the result `DecimalBytes.double` gives; any
/// other cell gets a value (what the caller reads it as) made when first asked for on the line.
///
/// Most cells of a metrics table are numbers or empty, so most rows need nothing more than this
/// one pass. The offsets and values live in memory of their own, as in `IndexMemo`: the cells of
/// a large table are asked for several times each, and an array would check on every write that
/// no copy shares its storage.
///
/// A per-step table repeats one line with other digits: a line of the digit shape of the line
/// before it (every digit taken as `0`) has its cells where that one had them, of the same shapes,
/// and only the numbers of its decimals are read, each where the last line's layout says.
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
    /// Per decimal cell of at most eight bytes: how to read a cell of its layout.
    private var readings: UnsafeMutablePointer<PlainDecimal.Reading>
    /// The digit shape of the last line, a word per eight bytes (the last word the line's last
    /// eight bytes), its length (-1: no shape kept) and delimiter.
    private let lineShape: UnsafeMutablePointer<UInt64>
    private var lineShapeLength = -1
    private var lineShapeDelimiter: UInt8 = 0
    /// The last line split cell by cell had at most 64 cells, none longer than eight bytes: a line
    /// of its shape has the same cells of every shape, `decimalCells` tells which to read.
    private var shapeTellsEveryCell = false
    private var capacity: Int
    private var line = ByteView.empty
    private var round: UInt32 = 1
    @_spi(Layers) public private(set) var count = 0
    /// How many cells are neither empty nor a plain decimal.
    @_spi(Layers) public private(set) var otherCount = 0
    /// Bit `i` set: cell `i` (of the first 64) is a plain decimal.
    @_spi(Layers) public private(set) var decimalCells: UInt64 = 0

    /// Lines up to this many words long have their digit shape kept: a metrics row is short.
    private static var shapeWords: Int { 32 }

    @_spi(Layers) public init(capacity: Int = 16) {
        self.capacity = Swift.max(2, capacity)
        ends = .allocate(capacity: self.capacity)
        shapes = .allocate(capacity: self.capacity)
        numbers = .allocate(capacity: self.capacity)
        rounds = .allocate(capacity: self.capacity)
        values = .allocate(capacity: self.capacity)
        readings = .allocate(capacity: self.capacity)
        lineShape = .allocate(capacity: Self.shapeWords)
        rounds.initialize(repeating: 0, count: self.capacity)
    }

    deinit {
        ends.deallocate()
        shapes.deallocate()
        numbers.deallocate()
        rounds.deallocate()
        values.deallocate()
        readings.deallocate()
        lineShape.deallocate()
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
        if keepsShape(of: raw, delimiter: delimiter) {
            if shapeTellsEveryCell { readDecimals(of: raw) } else { readNumbers(of: raw) }
            return
        }
        var cells = 0
        findDelimiters(delimiter, in: raw) { index in
            if cells &+ 1 >= capacity { grow() }
            ends[cells] = index
            cells &+= 1
        }
        ends[cells] = raw.count
        count = cells &+ 1
        otherCount = 0
        decimalCells = 0
        shapeTellsEveryCell = count <= UInt64.bitWidth
        var start = 0
        for cell in 0..<count {
            let end = ends[cell]
            if end &- start > 8 { shapeTellsEveryCell = false }
            read(cell, from: start, to: end, of: raw)
            start = end &+ 1
        }
    }

    /// Whether `raw` has the digit shape of the last line, split at the same delimiter; keeps the
    /// shape of `raw` for the next line either way.
    @inline(__always)
    private func keepsShape(of raw: UnsafeRawBufferPointer, delimiter: UInt8) -> Bool {
        let words = (raw.count &+ 7) &>> 3
        guard raw.count >= 8, words <= Self.shapeWords else {
            lineShapeLength = -1
            return false
        }
        var same = raw.count == lineShapeLength && delimiter == lineShapeDelimiter
        for word in 0..<words {
            let shape = PlainDecimal.digitShape(raw.loadUnaligned(fromByteOffset: Swift.min(word &<< 3, raw.count &- 8), as: UInt64.self).littleEndian)
            if shape != lineShape[word] { same = false }
            lineShape[word] = shape
        }
        lineShapeLength = raw.count
        lineShapeDelimiter = delimiter
        return same
    }

    /// Reads the decimals of a line of the last line's digit shape, which `shapeTellsEveryCell`.
    @inline(__always)
    private func readDecimals(of raw: UnsafeRawBufferPointer) {
        var cells = decimalCells
        while cells != 0 {
            let cell = cells.trailingZeroBitCount
            numbers[cell] = readings[cell].value(in: raw)
            cells &= cells &- 1
        }
    }

    /// Reads the numbers of a line of the last line's digit shape: its short decimals as their
    /// layouts say, its longer cells anew (whether a long run of digits fits in 53 bits depends on
    /// the digits).
    @inline(__always)
    private func readNumbers(of raw: UnsafeRawBufferPointer) {
        otherCount = 0
        var start = 0
        for cell in 0..<count {
            let end = ends[cell]
            let length = end &- start
            if length > 8 {
                read(cell, from: start, to: end, of: raw)
            } else if shapes[cell] == .decimal {
                numbers[cell] = readings[cell].value(in: raw)
            } else if shapes[cell] == .other {
                otherCount &+= 1
            }
            start = end &+ 1
        }
    }

    /// The eight bytes from `start`, the first lowest; past the end of `raw` (at least eight bytes
    /// long), zeros, read from where eight bytes are.
    @inline(__always)
    private func word(at start: Int, of raw: UnsafeRawBufferPointer) -> UInt64 {
        start &+ 8 <= raw.count
            ? raw.loadUnaligned(fromByteOffset: start, as: UInt64.self).littleEndian
            : raw.loadUnaligned(fromByteOffset: raw.count &- 8, as: UInt64.self).littleEndian &>> UInt64(8 &* (start &+ 8 &- raw.count))
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
        let bit: UInt64 = cell < UInt64.bitWidth ? 1 &<< UInt64(cell) : 0
        decimalCells &= ~bit
        if length == 0 {
            shapes[cell] = .empty
            return
        } else if length <= 8, raw.count >= 8 {
            // The cell in the low bytes of a word.
            let word = word(at: start, of: raw)
            if let layout = PlainDecimal.layout(of: word, length: length) {
                let reading = PlainDecimal.Reading(layout, start: start, length: length, lineLength: raw.count)
                readings[cell] = reading
                number = reading.value(in: raw)
            } else {
                number = nil
            }
        } else {
            var decimal = PlainDecimal(start: start)
            for index in start..<end { decimal.add(raw[index], at: index) }
            number = decimal.value(endingAt: end)
        }
        if let number {
            shapes[cell] = .decimal
            numbers[cell] = number
            decimalCells |= bit
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
        readings = Self.moved(readings, from: old, to: capacity)
        (rounds + old).initialize(repeating: 0, count: capacity - old)
    }

    private static func moved<Element>(_ old: UnsafeMutablePointer<Element>, from count: Int, to capacity: Int) -> UnsafeMutablePointer<Element> {
        let new = UnsafeMutablePointer<Element>.allocate(capacity: capacity)
        new.initialize(from: old, count: count)
        old.deallocate()
        return new
    }
}
