import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// A Mermaid `xychart-beta` chart of a run's training and validation loss per epoch, which GitHub
/// renders from a ```mermaid block. Mermaid has no gaps and no legend, so the chart comes with notes:
/// which colour is which series, where non-finite values were clamped, when the axis is log10.
@_spi(Layers) public struct MermaidChart {
    static let colours = [("blue", "#1f77b4"), ("orange", "#ff7f0e")]
    /// A step chart with more positions than this is drawn at the training line's steps only.
    static let maximumStepPositions = 120

    @_spi(Layers) public var lines: [LossChart.Line]

    @_spi(Layers) public init(_ chart: LossChart) {
        lines = chart.lines
    }

    /// The block and its notes, or a sentence saying why there is no chart.
    @_spi(Layers) public func render() -> [String] {
        // A short run judged on its steps is drawn by its logged steps; the held-out line is
        // interpolated between its evaluations.
        let perStep = !lines.isEmpty && lines.allSatisfy { $0.series.granularity == .step }
        let position = { (point: MetricPoint) in perStep ? point.step : point.epoch }
        var epochs = Array(Set(lines.flatMap { $0.series.points.compactMap(position) })).sorted()
        if perStep, epochs.count > Self.maximumStepPositions, let first = lines.first {
            epochs = first.series.points.compactMap(position)
        }
        guard !lines.isEmpty else { return [] }
        let finite = lines.flatMap { $0.series.values.filter(\.isFinite) }
        guard epochs.count >= 2 else { return ["_No loss chart: fewer than two \(perStep ? "steps" : "epochs") were logged._"] }
        guard !finite.isEmpty else { return ["_No loss chart: no loss value is finite._"] }

        let scale = ValueScale.suited(to: finite)
        let scaled = finite.map(scale.transform)
        let (low, high) = Self.axisRange(scaled.min()!, scaled.max()!, zeroBased: scale == .linear && scaled.min()! >= 0)
        var notes: [String] = []
        let plotted = lines.map { line -> [Double] in
            let (values, lineNotes) = Self.values(of: line.series, at: epochs, scale: scale, clampedTo: (low, high), perStep: perStep)
            notes += lineNotes
            return values
        }

        let contiguous = epochs.last! - epochs.first! + 1 == epochs.count
        let xAxis = contiguous ? "\(epochs.first!) --> \(epochs.last!)" : "[" + epochs.map(String.init).joined(separator: ", ") + "]"
        let yTitle = scale == .log10 ? "log10(loss)" : "loss"
        var block = [
            "---", "config:", "  themeVariables:", "    xyChart:",
            "      plotColorPalette: \"" + Self.colours.map(\.1).joined(separator: ", ") + "\"", "---",
            "xychart-beta",
            perStep ? "  title \"Loss per logged step\"" : "  title \"Loss per epoch\"",
            "  x-axis \"\(perStep ? "step" : "epoch")\" \(xAxis)",
            "  y-axis \"\(yTitle)\" \(Self.number(low, low, high)) --> \(Self.number(high, low, high))",
        ]
        for (line, values) in zip(lines, plotted) {
            block.append("  line \"\(Self.label(line.series.key))\" [" + values.map { Self.number($0, low, high) }.joined(separator: ", ") + "]")
        }

        var output = ["```mermaid"] + block + ["```", ""]
        let legend = zip(lines, Self.colours).map { line, colour in "\(colour.0): `\(Markdown.code(line.series.key))` (\(line.label))" }
        output.append("Lines — " + legend.joined(separator: ", ") + ".")
        if scale == .log10 {
            output.append("The y-axis is log10(loss): the values span \(Int(ValueScale.logThresholdDecades)) or more orders of magnitude.")
        }
        if !notes.isEmpty { output += [""] + notes.map { "- " + $0 } }
        return output
    }

    /// A little headroom above and below; a non-negative linear axis starts at 0 unless the values sit
    /// far from it (a loss hovering at 2.30 would be a flat line on 0 → 2.31).
    static func axisRange(_ low: Double, _ high: Double, zeroBased: Bool) -> (Double, Double) {
        let span = high - low
        if span == 0 {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            return (zeroBased ? max(0, low - pad) : low - pad, high + pad)
        }
        let padded = (low - span * 0.05, high + span * 0.05)
        if zeroBased && low <= span { return (0, padded.1) }
        return padded
    }

    /// One value per axis epoch: an epoch the series lacks is interpolated between its neighbours
    /// (Mermaid cannot leave gaps); a non-finite value is drawn at the axis edge. Both are noted.
    @_spi(Layers) public static func values(
        of series: MetricSeries, at epochs: [Int], scale: ValueScale, clampedTo range: (Double, Double), perStep: Bool = false
    ) -> ([Double], [String]) {
        var byEpoch: [Int: Double] = [:]
        for point in series.points { if let epoch = perStep ? point.step : point.epoch { byEpoch[epoch] = point.value } }
        let key = "`\(Markdown.code(series.key))`"
        var notes: [String] = []
        let nonFinite = epochs.filter { byEpoch[$0].map { !$0.isFinite } ?? false }
        if perStep {
            // Steps are many: one note per kind of gap, not a list of them.
            if !nonFinite.isEmpty { notes.append("\(key) is NaN or infinite at \(nonFinite.count) of the steps; drawn at the top of the axis.") }
            if epochs.contains(where: { byEpoch[$0] == nil }) { notes.append("\(key) is interpolated between the steps it was logged at.") }
        } else if !nonFinite.isEmpty {
            notes.append("\(key) is NaN or infinite at epoch\(nonFinite.count == 1 ? "" : "s") \(EpochList.describe(nonFinite)); "
                + "drawn at the top of the axis (−inf at the bottom).")
        }
        let known = epochs.filter { byEpoch[$0]?.isFinite ?? false }
        let missing = epochs.filter { byEpoch[$0] == nil }
        if !perStep, !missing.isEmpty {
            notes.append("\(key) was not logged at epoch\(missing.count == 1 ? "" : "s") \(EpochList.describe(missing)); the line is interpolated there.")
        }
        let values = epochs.map { epoch -> Double in
            if let value = byEpoch[epoch] {
                if value.isNaN || value == .infinity { return range.1 }
                if value == -.infinity { return range.0 }
                return scale.transform(value)
            }
            return interpolate(epoch, known: known, byEpoch: byEpoch, scale: scale) ?? range.1
        }
        return (values, notes)
    }

    static func interpolate(_ epoch: Int, known: [Int], byEpoch: [Int: Double], scale: ValueScale) -> Double? {
        let before = known.last { $0 < epoch }
        let after = known.first { $0 > epoch }
        switch (before, after) {
        case let (before?, after?):
            let start = scale.transform(byEpoch[before]!), end = scale.transform(byEpoch[after]!)
            return start + (end - start) * Double(epoch - before) / Double(after - before)
        case let (before?, nil): return scale.transform(byEpoch[before]!)
        case let (nil, after?): return scale.transform(byEpoch[after]!)
        case (nil, nil): return nil
        }
    }

    @_spi(Layers) public static func number(_ value: Double, _ low: Double, _ high: Double) -> String {
        ValueFormat.plainDecimal(value, span: high - low, significant: 4)
    }

    /// A Mermaid string: no quotes, backticks or line breaks, which would end or change it.
    @_spi(Layers) public static func label(_ text: String) -> String {
        Markdown.printable(text, keepingLineBreaks: false).filter { $0 != "\"" && $0 != "`" }
    }
}
