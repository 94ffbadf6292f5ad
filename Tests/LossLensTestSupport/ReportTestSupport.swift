@_spi(Layers) import LossLensModel

/// Builders shared by the report and analysis tests: series from plain arrays, runs of them.
/// The report tests add the runs of fixture logs (`LossLensReportTests/ReportFixtures.swift`).
public enum ReportTestSupport {
    public static func series(_ raw: String, _ values: [Double?], firstLine: Int = 1) -> MetricSeries {
        let points = values.enumerated().compactMap { index, value in
            value.map { MetricPoint(epoch: index + 1, value: $0, line: firstLine + index) }
        }
        return MetricSeries(name: MetricName(raw: raw), granularity: .epoch, points: points)
    }

    public static func run(_ series: [MetricSeries], source: String = "train.log", name: String = "run 1") -> Run {
        Run(source: source, format: .kerasConsole, name: name, series: series)
    }
}
