/// How many runs and metric series one input may make. A log is data from anywhere: an epoch
/// counter that goes back on every line would make a run per line, a new metric name on every line
/// a series per line, and memory would grow with the log instead of with what it holds. Past a
/// cap the input is read on without making more, and its last run carries a warning that names the
/// cap and the option that raises it.
public struct RunLimits: Sendable, Equatable {
    /// Runs per input (`--max-runs`).
    public var runs: Int
    /// Metric series per input, all its runs together (`--max-series`).
    public var series: Int

    public static let defaultRuns = 1000
    public static let defaultSeries = 10_000

    public init(runs: Int = defaultRuns, series: Int = defaultSeries) {
        self.runs = max(1, runs)
        self.series = max(1, series)
    }
}
