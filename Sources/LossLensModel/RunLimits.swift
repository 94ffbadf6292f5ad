/// How many runs and metric series one input may make. A log is data from anywhere: an epoch
/// counter that goes back on every line would make a run per line, a new metric name on every line
/// a series per line, a log that names no epoch an epoch per line, and memory would grow with the
/// log instead of with what it holds. Past a
/// cap the input is read on without making more, and its last run carries a warning that names the
/// cap and the option that raises it.
public struct RunLimits: Sendable, Equatable {
    /// Runs per input (`--max-runs`).
    public var runs: Int
    /// Metric series per input, all its runs together (`--max-series`).
    public var series: Int
    /// Epochs holding values per run (`--max-epochs`): counted as they are placed, not by their
    /// number, so a run that logs every 1000th of 200 000 epochs holds 200.
    public var epochs: Int

    public static let defaultRuns = 1000
    public static let defaultSeries = 10_000
    /// Far more epochs than a run logs at epoch level (per-step values are sampled apart from
    /// these), and few enough that a run's epoch values stay within tens of megabytes.
    public static let defaultEpochs = 100_000

    public init(runs: Int = defaultRuns, series: Int = defaultSeries, epochs: Int = defaultEpochs) {
        self.runs = max(1, runs)
        self.series = max(1, series)
        self.epochs = max(1, epochs)
    }
}
