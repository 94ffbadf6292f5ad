/// What each column of a metrics CSV holds, decided from the header and the cells below it.
struct CSVColumns {
    var epoch: Int?
    var step: Int?
    /// A column such as `version` whose value names the run a row belongs to.
    var runLabel: Int?
    var metrics: [(index: Int, name: MetricName)] = []

    static let epochNames: Set<String> = ["epoch", "epochs", "epoch_num", "epoch_number", "ep"]
    static let stepNames: Set<String> = ["step", "steps", "global_step", "iteration", "iter", "trainer/global_step"]
    static let runLabelNames: Set<String> = ["version", "run", "run_id", "run_name", "experiment", "trial"]
    /// Cells that mean "no value" (pandas writes `NA` or nothing, fastai `#na#`, others `null` or `None`).
    static let missingTokens: Set<String> = ["", "na", "n/a", "#na#", "null", "none", "-"]

    static func isMissing(_ cell: String) -> Bool {
        missingTokens.contains(cell.trimmingCharacters(in: .whitespaces).lowercased())
    }

    static func number(_ cell: String) -> Double? {
        isMissing(cell) ? nil : NumberParsing.value(cell)
    }

    /// An epoch or step number; NaN, infinities and absurd magnitudes are not positions.
    static func position(_ value: Double) -> Double? {
        value.isFinite && value.magnitude < 1e12 ? value : nil
    }

    /// A header row: every cell is a name (not a number, not empty). The first cell may be empty:
    /// pandas writes the index column without a name.
    static func isHeader(_ fields: [String]) -> Bool {
        guard fields.count >= 2 else { return false }
        let named = fields.enumerated().filter { !($0.offset == 0 && $0.element.isEmpty) }.map(\.element)
        return named.allSatisfy { field in
            let trimmed = field.trimmingCharacters(in: .whitespaces)
            return !trimmed.isEmpty && !isMissing(trimmed) && number(trimmed) == nil
                && !trimmed.hasPrefix("{") && !trimmed.hasPrefix("[")
        }
    }

    /// Classifies the columns of `header` from the data rows that follow it: a column is a metric when
    /// its name is one and every cell that has a value is a number (a `phase` column of `P1` is not).
    init(header: [String], rows: [[String]]) {
        var stringColumns = Set<Int>()
        var integerColumns = Set(header.indices)
        for fields in rows {
            for (index, cell) in fields.enumerated() where index < header.count && !Self.isMissing(cell) {
                guard let value = Self.number(cell) else {
                    stringColumns.insert(index)
                    continue
                }
                if value != value.rounded(.down) { integerColumns.remove(index) }
            }
        }
        for (index, raw) in header.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces)
            let lower = name.lowercased()
            if epoch == nil, Self.epochNames.contains(lower) || (index == 0 && name.isEmpty && integerColumns.contains(0)) {
                epoch = index
            } else if step == nil, Self.stepNames.contains(lower) {
                step = index
            } else if runLabel == nil, Self.runLabelNames.contains(lower) {
                runLabel = index
            } else if !name.isEmpty, !stringColumns.contains(index), KeyValueScanner.isMetricKey(name) {
                metrics.append((index, MetricName(raw: name)))
            }
        }
        if step != nil, epoch != nil { assignGranularity(rows) }
    }

    /// Lightning writes step rows and epoch rows into one file: a column without a `_step`/`_epoch`
    /// suffix is per-step when some epoch holds two or more of its values, otherwise per-epoch.
    private mutating func assignGranularity(_ rows: [[String]]) {
        guard let epoch, let step else { return }
        for position in metrics.indices where metrics[position].name.granularityHint == nil {
            let column = metrics[position].index
            var counts: [String: Int] = [:]
            var segment = 0
            var previousStep = -Double.infinity
            var perStep = false
            for fields in rows where column < fields.count && Self.number(fields[column]) != nil {
                if let stepValue = Self.number(fields[step]) {
                    if stepValue < previousStep { segment += 1 }
                    previousStep = stepValue
                }
                let key = "\(segment):\(fields[epoch])"
                counts[key, default: 0] += 1
                if counts[key]! > 1 { perStep = true; break }
            }
            metrics[position].name.granularityHint = perStep ? .step : .epoch
        }
    }
}
