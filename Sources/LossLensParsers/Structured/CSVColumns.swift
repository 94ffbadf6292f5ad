@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2
/// What each column of a metrics CSV holds, decided from the header and the cells below it.
@_spi(Layers) public struct CSVColumns {
    @_spi(Layers) public var epoch: Int?
    @_spi(Layers) public var step: Int?
    /// A column such as `version` whose value names the run a row belongs to.
    @_spi(Layers) public var runLabel: Int?
    @_spi(Layers) public var metrics: [(index: Int, name: MetricName)] = []
    /// Set when the epoch column holds one value in every row (all 0): rows are then epochs in
    /// order, and the run says why.
    @_spi(Layers) public var constantEpochNote: String?

    @_spi(Layers) public init() {}

    /// An epoch column constant over at least this many rows is not a position.
    static let constantEpochRows = 3

    static let epochNames: Set<String> = ["epoch", "epochs", "epoch_num", "epoch_number", "ep"]
    static let stepNames: Set<String> = ["step", "steps", "global_step", "iteration", "iter", "trainer/global_step"]
    static let runLabelNames: Set<String> = ["version", "run", "run_id", "run_name", "experiment", "trial"]
    /// Cells that mean "no value" (pandas writes `NA` or nothing, fastai `#na#`, others `null` or `None`).
    static let missingTokens: Set<String> = ["", "na", "n/a", "#na#", "null", "none", "-"]

    /// Whether a cell means "no value": blanks around it are ignored, case too.
    static func isMissing(_ cell: ByteView) -> Bool {
        let token = cell.trimmingBlanks
        // Every token is at most 4 bytes and none starts with a digit: numbers are told at once.
        guard token.count <= 4 else { return false }
        guard let first = token.first else { return true }
        if first &- UInt8(ascii: "0") < 10 { return false }
        var packed: UInt32 = 0
        for byte in token { packed = packed << 8 | UInt32(byte | (byte &- 0x41 < 26 ? 0x20 : 0)) }
        return packedMissingTokens.contains(packed)
    }

    /// The non-empty missing tokens, lower-case, their bytes packed into one number each.
    private static let packedMissingTokens: Set<UInt32> = Set(missingTokens.filter { !$0.isEmpty }.map { token in
        token.utf8.reduce(0) { $0 << 8 | UInt32($1) }
    })

    /// An epoch or step number; NaN, infinities and absurd magnitudes are not positions.
    @_spi(Layers) public static func position(_ value: Double) -> Double? {
        value.isFinite && value.magnitude < 1e12 ? value : nil
    }

    /// A header row: every cell is a name (not a number, not empty). The first cell may be empty:
    /// pandas writes the index column without a name. Inlined: most rows are told by their first
    /// test.
    @inline(__always)
    static func isHeader(_ row: CSVRow) -> Bool {
        // Past the first, a cell that is not text (such a row has one) is no name.
        guard row.count >= 2, !row.holdsNoText else { return false }
        return namesEveryCell(row)
    }

    /// Whether every cell of `row` reads as a name, as `isHeader` asks past its first tests.
    private static func namesEveryCell(_ row: CSVRow) -> Bool {
        for index in 0..<row.count {
            if index == 0, row.cell(0, \.isEmpty) { continue }
            guard row.reading(index).kind == .text else { return false }
            let first = row.cell(index) { $0.trimmingBlanks.first }
            if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return false }
        }
        return true
    }

    /// The columns whose numbers `init(header:cells:)` looks at (whether they have fractions, how
    /// many there are, whether they are all one value): the first, which may be an unnamed epoch
    /// column, and the first one named as an epoch. Of the others it asks only whether they hold text.
    static func columnsWhoseNumbersCount(in header: [String]) -> [Int] {
        let named = header.firstIndex { Self.epochNames.contains(NumberParsing.trimmingWhitespace($0[...]).lowercased()) }
        return named.map { $0 == 0 ? [0] : [0, $0] } ?? (header.isEmpty ? [] : [0])
    }

    /// Classifies the columns of `header` from what the cells below it held: a column is a metric
    /// when its name is one and every cell that has a value is a number (a `phase` column of `P1` is not).
    @_spi(Layers) public init(header: [String], cells: CSVCellKinds) {
        for (index, raw) in header.enumerated() {
            let name = String(NumberParsing.trimmingWhitespace(raw[...]))
            let lower = name.lowercased()
            if epoch == nil, Self.epochNames.contains(lower) || (index == 0 && name.isEmpty && !cells.hasFractions(0)) {
                epoch = index
            } else if step == nil, Self.stepNames.contains(lower) {
                step = index
            } else if runLabel == nil, Self.runLabelNames.contains(lower) {
                runLabel = index
            } else if !name.isEmpty, !cells.hasText(index), KeyValueScanner.isMetricKey(name) {
                metrics.append((index, MetricName(raw: name)))
            }
        }
        if let column = epoch, step == nil, let value = cells.constantValue(column), cells.numberCount(column) >= Self.constantEpochRows {
            epoch = nil
            let name = NumberParsing.trimmingWhitespace(header[column][...])
            constantEpochNote = "The \(name.isEmpty ? "first" : "'\(name)'") column holds \(ValueFormat.number(value)) in all "
                + "\(cells.numberCount(column)) rows, so it cannot tell epochs apart: the rows were taken as epochs in their order."
        }
    }

    /// The same columns in the same roles, metrics with the same names and granularity hints.
    func isSameDecision(as other: CSVColumns) -> Bool {
        epoch == other.epoch && step == other.step && runLabel == other.runLabel && constantEpochNote == other.constantEpochNote
            && metrics.elementsEqual(other.metrics) { $0.index == $1.index && $0.name == $1.name }
    }

    /// Lightning writes step rows and epoch rows into one file: a column without a `_step`/`_epoch`
    /// suffix has its granularity told by its values (`CSVGranularity`).
    var undecidedMetrics: [Int] {
        guard epoch != nil, step != nil else { return [] }
        return metrics.indices.filter { metrics[$0].name.granularityHint == nil }
    }
}

/// What the cells of each column held, gathered row by row.
@_spi(Layers) public struct CSVCellKinds {
    private struct Column {
        /// A cell with a value that is not a number.
        var hasText = false
        /// A number that is not whole.
        var hasFractions = false
        /// How many cells held a number, the first of them, and whether any other differed from it.
        var numberCount = 0
        var firstNumber: Double?
        var varies = false

        mutating func add(_ value: Double) {
            if !hasFractions, !value.isWhole { hasFractions = true }
            numberCount += 1
            guard !varies else { return }
            if let firstNumber { varies = firstNumber != value } else { firstNumber = value }
        }

        mutating func addNumbers(of other: Column) {
            hasFractions = hasFractions || other.hasFractions
            numberCount += other.numberCount
            if let theirs = other.firstNumber {
                if let mine = firstNumber { varies = varies || mine != theirs } else { firstNumber = theirs }
            }
            varies = varies || other.varies
        }
    }

    /// One per column, in a single array: a row updates each in place.
    private var columns: [Column]
    /// The columns whose numbers are counted (`CSVColumns.columnsWhoseNumbersCount`); of the
    /// others only text is noted.
    private let counted: [Int]
    private let isCounted: [Bool]

    @_spi(Layers) public init(width: Int, counted: [Int]) {
        columns = Array(repeating: Column(), count: width)
        self.counted = counted.filter { $0 < width }
        var isCounted = Array(repeating: false, count: width)
        for index in self.counted { isCounted[index] = true }
        self.isCounted = isCounted
    }

    func hasText(_ index: Int) -> Bool { columns[index].hasText }
    func hasFractions(_ index: Int) -> Bool { columns[index].hasFractions }
    func numberCount(_ index: Int) -> Int { columns[index].numberCount }

    /// The one number every numeric cell of a column held, nil when they differ.
    func constantValue(_ index: Int) -> Double? {
        columns[index].varies ? nil : columns[index].firstNumber
    }

    @_spi(Layers) public mutating func merge(_ other: CSVCellKinds) {
        for index in columns.indices {
            columns[index].hasText = columns[index].hasText || other.columns[index].hasText
            columns[index].addNumbers(of: other.columns[index])
        }
    }

    /// Adds what `later`, the cells of the rows that follow, held: what reading those rows after
    /// these would have gathered. A column with text here skips the numbers of `later`, as `add`
    /// skips them once it has seen text (`later` stopped at its own first text the same way).
    mutating func append(_ later: CSVCellKinds) {
        for index in columns.indices {
            if !columns[index].hasText || index == 0 { columns[index].addNumbers(of: later.columns[index]) }
            columns[index].hasText = columns[index].hasText || later.columns[index].hasText
        }
    }

    /// Inlined into the readers of every row: a row that holds no text (most rows of a per-step
    /// table) adds only the numbers of the counted columns.
    @inline(__always)
    @_spi(Layers) public mutating func add(_ row: CSVRow) {
        if row.holdsNoText {
            for index in counted where index < row.count && (index == 0 || !columns[index].hasText) {
                let reading = row.reading(index)
                if reading.kind == .number { columns[index].add(reading.value) }
            }
            return
        }
        addCells(of: row)
    }

    /// What `add` notes of a row with text: which columns hold text, and the counted numbers.
    private mutating func addCells(of row: CSVRow) {
        // The first column's numbers are counted even after text (an unnamed whole-number column 0 is the epoch).
        for index in 0..<min(row.count, columns.count) where !columns[index].hasText || index == 0 {
            let reading = row.reading(index)
            switch reading.kind {
            case .missing: continue
            case .text: columns[index].hasText = true
            case .number: if isCounted[index] { columns[index].add(reading.value) }
            }
        }
    }
}

/// Whether a column is per step: some epoch (within a stretch where the step does not go back)
/// holds two or more of its values; otherwise it is per epoch.
@_spi(Layers) public struct CSVGranularity {
    private struct EpochKey: Hashable {
        var segment: Int
        var epochCell: [UInt8]
    }

    @_spi(Layers) public let column: Int
    private(set) var isPerStep = false
    private var segment = 0
    private var previousStep = -Double.infinity
    private var lastKey: EpochKey?
    private var seen: Set<EpochKey> = []

    @_spi(Layers) public init(column: Int) {
        self.column = column
    }

    @_spi(Layers) public mutating func add(_ row: CSVRow, epoch: Int, step: Int) {
        guard !isPerStep, row.number(column) != nil else { return }
        add(step: row.number(step), epochCell: row.cellOrEmpty(epoch) { Array($0) })
    }

    /// A row whose cell in this column holds a number, its step and the bytes of its epoch cell.
    mutating func add(step: Double?, epochCell: [UInt8]) {
        guard !isPerStep else { return }
        if let step {
            if step < previousStep { segment += 1 }
            previousStep = step
        }
        let key = EpochKey(segment: segment, epochCell: epochCell)
        if key == lastKey || !seen.insert(key).inserted {
            isPerStep = true
            seen = []
        }
        lastKey = key
    }
}
