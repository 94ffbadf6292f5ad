import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers

/// Recognizes the artifacts of one run that sit together — a Keras run folder with console output,
/// history.json, CSVLogger file and TensorBoard events; a Lightning `version_N/`; a Hugging Face
/// output folder with trainer_state.json — and keeps one run for them: the most exact source, with
/// the others listed as companions (and their crash and callback events carried over).
///
/// Artifacts are merged only when their values agree, so two different runs in one folder stay apart.
@_spi(Layers) public enum ArtifactGrouping {
    /// The formats whose artifacts can stand in for a run read from `format`.
    @_spi(Layers) public static func formats(moreExactThan format: InputFormat) -> Set<InputFormat> {
        Set(InputFormat.allCases.filter { $0.exactness < format.exactness })
    }

    /// The folder that holds a run's artifacts (see `CompanionSearch.runFolder`).
    static func runFolder(of run: Run) -> String {
        CompanionSearch.runFolder(ofFile: run.source, isFolder: run.format == .tensorBoard || run.format == .mlflow)
    }

    /// Merges agreeing single-run artifacts of each folder; everything else is returned as it was.
    /// `sources` are the runs of each artifact in input order; the output keeps that order.
    @_spi(Layers) public static func merge(_ sources: [[Run]]) -> [[Run]] {
        var result = sources
        let candidates = sources.indices.filter { sources[$0].count == 1 }
        let byFolder = Dictionary(grouping: candidates) { runFolder(of: sources[$0][0]) }
        for indices in byFolder.values where indices.count > 1 {
            var remaining = indices.sorted {
                (sources[$0][0].format.exactness, $0) < (sources[$1][0].format.exactness, $1)
            }
            while let baseIndex = remaining.first {
                remaining.removeFirst()
                var base = result[baseIndex][0]
                for other in remaining where agree(sources[other][0], base) || summarizes(sources[other][0], base) {
                    absorb(sources[other][0], into: &base)
                    result[other] = []
                    remaining.removeAll { $0 == other }
                }
                result[baseIndex] = [base]
            }
        }
        return result
    }

    /// A W&B summary (final values only) beside the history of its run folder is that run's.
    static func summarizes(_ candidate: Run, _ base: Run) -> Bool {
        candidate.format == .wandbSummary && base.format == .wandbHistory
    }

    static func absorb(_ other: Run, into base: inout Run) {
        base.companions.append(Companion(source: other.source, format: other.format))
        if base.printedLines == nil, other.format.isConsole, !base.format.isConsole {
            var lines: [String: [Int: Int]] = [:]
            for series in other.series where series.granularity == .epoch {
                for point in series.points { if let epoch = point.epoch { lines[series.key, default: [:]][epoch] = point.line } }
            }
            base.printedLines = PrintedLines(source: other.source, lines: lines)
        }
        if base.crash == nil { base.crash = other.crash }
        if base.events.isEmpty { base.events = other.events }
        if base.plannedEpochs == nil { base.plannedEpochs = other.plannedEpochs }
    }

    /// Whether `candidate` (less exact) shows the same run as `base`: every epoch metric of the candidate
    /// (at least two of them) is in `base` and matches it to printed precision, aligned at the end (a
    /// progress bar may show only the last epochs), and the candidate is not longer. One shared metric is
    /// not enough: two runs that both sit at ln 10 have equal losses.
    @_spi(Layers) public static func agree(_ candidate: Run, _ base: Run) -> Bool {
        let mine = candidate.series.filter { $0.granularity == .epoch && $0.kind != .learningRate && !$0.points.isEmpty }
        let pairs = mine.compactMap { series in base.series(named: series.name.canonical).map { (series, $0) } }
        guard mine.count >= 2, pairs.count == mine.count, candidate.epochCount <= base.epochCount + 1 else { return false }
        return pairs.allSatisfy { mine, theirs in
            let count = min(mine.points.count, theirs.points.count)
            return zip(mine.values.suffix(count), theirs.values.suffix(count)).allSatisfy(closeEnough)
        }
    }

    /// Equal up to the rounding of a printed value (4 decimals in Keras, 3 in Lightning's bar).
    static func closeEnough(_ printed: Double, _ exact: Double) -> Bool {
        if printed.isNaN || exact.isNaN { return printed.isNaN && exact.isNaN }
        if printed.isInfinite || exact.isInfinite { return printed == exact }
        return abs(printed - exact) <= 6e-4 + 1e-3 * max(abs(printed), abs(exact))
    }
}
