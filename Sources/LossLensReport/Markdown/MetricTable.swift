@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
/// Each epoch-level metric of a run: first, best (with its epoch) and last value, and a sparkline.
@_spi(Layers) public enum MetricTable {
    @_spi(Layers) public static func render(_ analyzed: AnalyzedRun) -> [String] {
        let run = analyzed.run
        let summaries = analyzed.summaries
        var lines: [String] = []
        if !summaries.isEmpty {
            lines += [
                "| Metric | Split | First | Best | Last | Trend |",
                "| --- | --- | ---: | ---: | ---: | --- |",
            ]
            for summary in summaries {
                let series = summary.series
                let scale = ValueScale.suited(to: series.values)
                let trend = Sparkline.render(series.values, scale: scale) + (scale == .log10 ? " (log)" : "")
                lines.append([
                    "`\(Markdown.codeCell(series.key))`", series.split.rawValue,
                    ValueFormat.optional(summary.first?.value), best(summary), ValueFormat.optional(summary.last?.value), trend,
                ].joined(separator: " | ").wrappedAsRow)
            }
            if summaries.contains(where: { $0.series.values.contains { !$0.isFinite } }) {
                lines += ["", "In the trend, `\(Sparkline.nanMark)` marks NaN, `\(Sparkline.positiveInfinityMark)` +inf and `\(Sparkline.negativeInfinityMark)` -inf."]
            }
        }
        let summarized = Set(summaries.map(\.series.key))
        let stepSeries = run.series.filter { $0.granularity == .step && !$0.points.isEmpty && !summarized.contains($0.key) }
        if !stepSeries.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines.append("Also logged per step: " + stepSeries.map { "`\(Markdown.code($0.key))` (\($0.points.count) values)" }.joined(separator: ", ") + ".")
        }
        return lines
    }

    @_spi(Layers) public static func best(_ summary: MetricSummary) -> String {
        guard summary.direction != nil else { return "—" }
        guard let best = summary.best else { return "none finite" }
        if let step = best.step { return ValueFormat.number(best.value) + " (step \(step))" }
        return ValueFormat.number(best.value) + (best.epoch.map { " (epoch \($0))" } ?? "")
    }
}
