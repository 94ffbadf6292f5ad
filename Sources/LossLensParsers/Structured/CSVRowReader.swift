@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2
/// One row of a delimited table: the bytes of its cells (quotes removed) and the line it starts on.
/// The reader reuses one row for every row it reads, so a gigabyte table needs no more memory than
/// its longest row. A plain row (no quotes, within one chunk) points into the reader's chunk instead
/// of holding a copy: such a row is valid only during the call it is passed to (`detached` keeps one).
@_spi(Layers) public struct CSVRow {
    /// 1-based physical line the row starts on.
    @_spi(Layers) public var line = 1
    private var bytes: [UInt8] = []
    /// Where each cell starts and ends in `bytes`.
    private var starts: [Int] = []
    private var ends: [Int] = []
    private var cellStart = 0
    /// The cells of a plain line, with what each reads as, when the row is one (`borrow`); made on
    /// the first such line and kept for the next, whose repeated cells it reads once.
    private var plainCells: DelimitedCells<CSVCellReading>?
    private(set) var isBorrowed = false
    /// What each cell of `bytes` reads as, once read. A row copied to be kept gets a memo of its
    /// own (`detached`); the reader's reused row forgets the previous row's cells (`clear`).
    private let readings = IndexMemo<CSVCellReading>()

    @_spi(Layers) public init() {}

    @_spi(Layers) public init(line: Int, cells: [String]) {
        self.line = line
        for cell in cells {
            bytes += cell.utf8
            endCell()
        }
    }

    @_spi(Layers) public var count: Int {
        @inline(__always) get { isBorrowed ? plainCells!.count : ends.count }
    }

    @_spi(Layers) public func cell<Result>(_ index: Int, _ body: (ByteView) -> Result) -> Result {
        if isBorrowed { return body(plainCells!.cell(index)) }
        return bytes.withByteView { body($0[starts[index]..<ends[index]]) }
    }

    /// Cells past the end of the row read as empty (a short row padded to the header's width).
    func cellOrEmpty<Result>(_ index: Int, _ body: (ByteView) -> Result) -> Result {
        index < count ? cell(index, body) : body(.empty)
    }

    @_spi(Layers) public func string(_ index: Int) -> String {
        cell(index) { String(decoding: $0) }
    }

    @_spi(Layers) public var strings: [String] { (0..<count).map(string) }

    /// The number in cell `index`; nil for no value (`CSVColumns.isMissing`), text, or a cell past the end.
    @inline(__always)
    @_spi(Layers) public func number(_ index: Int) -> Double? {
        let reading = reading(index)
        return reading.kind == .number ? reading.value : nil
    }

    /// Whether cell `index` has no value: empty, a missing token, or past the end of the row.
    @inline(__always)
    func isMissing(_ index: Int) -> Bool {
        reading(index).kind == .missing
    }

    /// Whether every cell is empty or a plain decimal (so none is text): known for a borrowed line,
    /// whose cells were read as it was split; false when not known.
    var holdsNoText: Bool { isBorrowed && plainCells!.otherCount == 0 }

    /// Of a row that holds no text (`holdsNoText`), which cells are numbers: bit `i` set for cell
    /// `i` (of the first 64), the others empty or past the end; nil for any other row.
    var numberCells: UInt64? {
        guard isBorrowed, let cells = plainCells, cells.otherCount == 0 else { return nil }
        return cells.decimalCells
    }

    /// What cell `index` reads as; a cell past the end is missing. Inlined: every reader of a row
    /// asks for its cells through it.
    @inline(__always)
    func reading(_ index: Int) -> CSVCellReading {
        guard index < count else { return CSVCellReading(kind: .missing, value: 0) }
        if isBorrowed {
            let cells = plainCells!
            switch cells.shape(index) {
            case .empty: return CSVCellReading(kind: .missing, value: 0)
            case .decimal: return CSVCellReading(kind: .number, value: cells.number(index))
            case .other: return cells.value(at: index, CSVCellReading.init(cell:))
            }
        }
        return readings.value(at: index) { cell(index, CSVCellReading.init(cell:)) }
    }

    /// A row that holds its own bytes (and its own memo of their numbers), to keep after the call
    /// that passed this one.
    @_spi(Layers) public var detached: CSVRow {
        var copy = CSVRow()
        copy.line = line
        for index in 0..<count {
            cell(index) { copy.bytes.append(contentsOf: $0) }
            copy.endCell()
        }
        return copy
    }

    fileprivate var currentCellIsEmpty: Bool { bytes.count == cellStart }

    fileprivate mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    fileprivate mutating func append(_ run: ByteView) {
        bytes.append(contentsOf: run)
    }

    fileprivate mutating func dropCurrentCell() {
        bytes.removeSubrange(cellStart...)
    }

    fileprivate mutating func endCell() {
        starts.append(cellStart)
        ends.append(bytes.count)
        cellStart = bytes.count
    }

    /// Makes this row the cells of `line`, split at `delimiter` (a line without quotes or `\r`).
    mutating func borrow(_ line: ByteView, delimiter: UInt8) {
        if plainCells == nil { plainCells = DelimitedCells() }
        plainCells!.split(line, delimiter: delimiter)
        isBorrowed = true
    }

    mutating func clear() {
        isBorrowed = false
        // A borrowed line is all a plain row has.
        guard !bytes.isEmpty || !ends.isEmpty else { return }
        bytes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        cellStart = 0
        readings.forgetAll()
    }
}

/// Splits delimited text into rows per RFC 4180, reading bytes a chunk at a time: quoted cells may
/// hold the delimiter, doubled quotes and line breaks; `\n`, `\r\n` and `\r` end a row; blank lines
/// are left out; a quote opened and never closed runs to the end. The delimiter (comma, semicolon or
/// tab) is the one the header line uses most.
@_spi(Layers) public struct CSVRowReader {
    @_spi(Layers) public static let defaultChunkBytes = 256 << 10
    static let candidateDelimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t")]
    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    @_spi(Layers) public let content: LogContent
    let delimiter: UInt8
    private let bodyStart: Int
    private let chunkBytes: Int

    @_spi(Layers) public init(content: LogContent, chunkBytes: Int = defaultChunkBytes) throws {
        self.content = content
        self.chunkBytes = max(1, chunkBytes)
        let head = [UInt8](try content.bytes(in: 0..<(64 << 10)))
        bodyStart = head.starts(with: Self.byteOrderMark) ? Self.byteOrderMark.count : 0
        delimiter = Self.delimiter(ofHeaderIn: head[bodyStart...])
    }

    /// The candidate found most often outside quotes on the first line (the first candidate on a tie).
    static func delimiter(ofHeaderIn head: ArraySlice<UInt8>) -> UInt8 {
        var counts = [0, 0, 0]
        var quoted = false
        for byte in head {
            if byte == UInt8(ascii: "\n") { break }
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted, let index = candidateDelimiters.firstIndex(of: byte) { counts[index] += 1 }
        }
        var best = 0
        for index in counts.indices where counts[index] > counts[best] { best = index }
        return candidateDelimiters[best]
    }

    /// Calls `body` with each row in order until it returns false. The row may point into the chunk
    /// being read: keep `row.detached`, not `row`.
    func forEachRow(_ body: (CSVRow) throws -> Bool) throws {
        var scanner = Scanner(delimiter: delimiter)
        let source = try content.makeReader(from: bodyStart)
        var chunk = [UInt8](repeating: 0, count: max(1, min(chunkBytes, content.byteCount - bodyStart)))
        while true {
            let count = try source.read(into: &chunk)
            if count == 0 { break }
            let goOn = try chunk.withByteView { try scanner.scan($0[..<count], body) }
            if !goOn { return }
        }
        _ = try scanner.finish(body)
    }

    /// The row state machine, fed one chunk at a time.
    private struct Scanner {
        let delimiter: UInt8
        @_spi(Layers) public var row = CSVRow()
        @_spi(Layers) public var line = 1
        @_spi(Layers) public var quoted = false
        /// A quote seen inside quotes: doubled (a literal quote) or the closing one, told by the next byte.
        var quoteInQuotes = false
        var cellWasQuoted = false
        /// Only blanks so far in this cell: a quote here opens a quoted cell.
        var cellIsBlank = true
        /// The last byte was a `\r`, whose `\n` (if next) belongs to the same line break.
        var afterCarriageReturn = false

        @_spi(Layers) public init(delimiter: UInt8) {
            self.delimiter = delimiter
        }

        @_spi(Layers) public mutating func scan(_ bytes: ByteView, _ body: (CSVRow) throws -> Bool) throws -> Bool {
            var index = 0
            while index < bytes.count {
                if isAtRowStart, let plain = plainLine(in: bytes, from: index) {
                    row.borrow(bytes[index..<plain.end], delimiter: delimiter)
                    if try !endRow(body) { return false }
                    line += 1
                    row.line = line
                    index = plain.next
                    continue
                }
                let byte = bytes[index]
                let continuesBreak = afterCarriageReturn && byte == UInt8(ascii: "\n")
                afterCarriageReturn = byte == UInt8(ascii: "\r")
                if quoteInQuotes {
                    quoteInQuotes = false
                    if byte == UInt8(ascii: "\"") {
                        row.append(byte)
                        cellIsBlank = false
                        index += 1
                        continue
                    }
                    quoted = false
                }
                if quoted {
                    if byte == UInt8(ascii: "\"") {
                        quoteInQuotes = true
                        index += 1
                    } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                        if !continuesBreak { line += 1 }
                        row.append(byte)
                        index += 1
                    } else {
                        index = appendRun(bytes, from: index) { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
                    }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\"") where cellIsBlank:
                    row.dropCurrentCell()
                    quoted = true
                    cellWasQuoted = true
                case delimiter:
                    row.endCell()
                    cellWasQuoted = false
                    cellIsBlank = true
                case UInt8(ascii: "\n") where continuesBreak:
                    break
                case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    if try !endRow(body) { return false }
                    line += 1
                    row.line = line
                default:
                    let delimiter = delimiter
                    index = appendRun(bytes, from: index) {
                        $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r")
                    }
                    continue
                }
                index += 1
            }
            return true
        }

        private var isAtRowStart: Bool {
            row.count == 0 && row.currentCellIsEmpty && !quoted && !quoteInQuotes && !cellWasQuoted && !afterCarriageReturn
        }

        /// Where the line from `start` ends and the next begins, when the line holds no quote and no
        /// `\r` but its `\r\n`, and ends within `bytes`: most rows are such lines, and they need no
        /// state machine and no copy.
        private func plainLine(in bytes: ByteView, from start: Int) -> (end: Int, next: Int)? {
            let stop = bytes.firstIndex(from: start) {
                $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\"")
            }
            guard let stop else { return nil }
            switch bytes[stop] {
            case UInt8(ascii: "\n"):
                return (stop, stop + 1)
            case UInt8(ascii: "\r"):
                guard stop + 1 < bytes.count, bytes[stop + 1] == UInt8(ascii: "\n") else { return nil }
                return (stop, stop + 2)
            default:
                return nil
            }
        }

        /// Appends the bytes from `start` up to the next one that `stops` (the byte at `start` is
        /// always taken) and returns where the run ended.
        private mutating func appendRun(_ bytes: ByteView, from start: Int, until stops: (UInt8) -> Bool) -> Int {
            let end = bytes.firstIndex(from: start + 1, where: stops) ?? bytes.count
            let run = bytes[start..<end]
            row.append(run)
            if cellIsBlank, run.contains(where: { !Self.isBlank($0) }) { cellIsBlank = false }
            afterCarriageReturn = false
            return end
        }

        @_spi(Layers) public mutating func finish(_ body: (CSVRow) throws -> Bool) throws -> Bool {
            if !row.currentCellIsEmpty || row.count > 0 || cellWasQuoted { return try endRow(body) }
            return true
        }

        private mutating func endRow(_ body: (CSVRow) throws -> Bool) throws -> Bool {
            if !row.isBorrowed { row.endCell() }
            var goOn = true
            if !(row.count == 1 && row.cell(0, \.isEmpty) && !cellWasQuoted) { goOn = try body(row) }
            row.clear()
            cellWasQuoted = false
            cellIsBlank = true
            return goOn
        }

        private static func isBlank(_ byte: UInt8) -> Bool {
            byte == 0x20 || (0x09...0x0D).contains(byte)
        }
    }
}

extension ByteView {
    /// Without spaces and tabs at either end.
    @inline(__always)
    var trimmingBlanks: ByteView {
        var lower = 0
        var upper = count
        while lower < upper, self[lower] == 0x20 || self[lower] == 0x09 { lower += 1 }
        while upper > lower, self[upper - 1] == 0x20 || self[upper - 1] == 0x09 { upper -= 1 }
        return self[lower..<upper]
    }
}
