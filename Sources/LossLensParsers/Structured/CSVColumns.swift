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
    /// pandas writes the index column without a name.
    static func isHeader(_ row: CSVRow) -> Bool {
        guard row.count >= 2 else { return false }
        for index in 0..<row.count {
            if index == 0, row.cell(0, \.isEmpty) { continue }
            guard row.number(index) == nil, !row.isMissing(index) else { return false }
            let first = row.cell(index) { $0.trimmingBlanks.first }
            if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return false }
        }
        return true
    }

    /// Classifies the columns of `header` from what the cells below it held: a column is a metric
    /// when its name is one and every cell that has a value is a number (a `phase` column of `P1` is not).
    @_spi(Layers) public init(header: [String], cells: CSVCellKinds) {
        for (index, raw) in header.enumerated() {
            let name = String(NumberParsing.trimmingWhitespace(raw[...]))
            let lower = name.lowercased()
            if epoch == nil, Self.epochNames.contains(lower) || (index == 0 && name.isEmpty && !cells.hasFractions[0]) {
                epoch = index
            } else if step == nil, Self.stepNames.contains(lower) {
                step = index
            } else if runLabel == nil, Self.runLabelNames.contains(lower) {
                runLabel = index
            } else if !name.isEmpty, !cells.hasText[index], KeyValueScanner.isMetricKey(name) {
                metrics.append((index, MetricName(raw: name)))
            }
        }
        if let column = epoch, step == nil, let value = cells.constantValue(column), cells.numberCounts[column] >= Self.constantEpochRows {
            epoch = nil
            let name = NumberParsing.trimmingWhitespace(header[column][...])
            constantEpochNote = "The \(name.isEmpty ? "first" : "'\(name)'") column holds \(ValueFormat.number(value)) in all "
                + "\(cells.numberCounts[column]) rows, so it cannot tell epochs apart: the rows were taken as epochs in their order."
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
    /// A cell with a value that is not a number.
    private(set) var hasText: [Bool]
    /// A number that is not whole.
    private(set) var hasFractions: [Bool]
    /// How many cells held a number, the first of them, and whether any other differed from it.
    private(set) var numberCounts: [Int]
    private var firstNumbers: [Double?]
    private var varies: [Bool]

    @_spi(Layers) public init(width: Int) {
        hasText = Array(repeating: false, count: width)
        hasFractions = Array(repeating: false, count: width)
        numberCounts = Array(repeating: 0, count: width)
        firstNumbers = Array(repeating: nil, count: width)
        varies = Array(repeating: false, count: width)
    }

    /// The one number every numeric cell of a column held, nil when they differ.
    func constantValue(_ index: Int) -> Double? {
        varies[index] ? nil : firstNumbers[index]
    }

    @_spi(Layers) public mutating func merge(_ other: CSVCellKinds) {
        for index in hasText.indices {
            hasText[index] = hasText[index] || other.hasText[index]
            hasFractions[index] = hasFractions[index] || other.hasFractions[index]
            numberCounts[index] += other.numberCounts[index]
            if let theirs = other.firstNumbers[index] {
                if let mine = firstNumbers[index] { varies[index] = varies[index] || mine != theirs } else { firstNumbers[index] = theirs }
            }
            varies[index] = varies[index] || other.varies[index]
        }
    }

    @_spi(Layers) public mutating func add(_ row: CSVRow) {
        // Only the first column's fractions matter (an unnamed whole-number column 0 is the epoch).
        for index in 0..<min(row.count, hasText.count) where !hasText[index] || index == 0 {
            guard !row.isMissing(index) else { continue }
            guard let value = row.number(index) else {
                hasText[index] = true
                continue
            }
            if value != value.rounded(.down) { hasFractions[index] = true }
            numberCounts[index] += 1
            if let first = firstNumbers[index] {
                if first != value { varies[index] = true }
            } else {
                firstNumbers[index] = value
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
        if let stepValue = row.number(step) {
            if stepValue < previousStep { segment += 1 }
            previousStep = stepValue
        }
        let key = EpochKey(segment: segment, epochCell: row.cellOrEmpty(epoch) { Array($0) })
        if key == lastKey || !seen.insert(key).inserted {
            isPerStep = true
            seen = []
        }
        lastKey = key
    }
}
