/// Keras `fit(epochs=N)` called in a loop (a text generator that samples between calls, training
/// in stages) prints `Epoch 1/N` again for every call, which reads as a new run each time. Judged
/// apart, the late calls of one long training look flat. A call that starts where the previous one
/// ended, not back where training began, continues that training: its epochs are appended to it.
/// A new experiment, a cross-validation fold or a fresh model starts near the untrained loss again
/// and stays a run of its own; so does a call after one that stopped early.
enum ContinuedFits {
    /// The training must have gained at least this share of its first loss before a call…
    static let progressShare = 0.1
    /// …and the next call start within this share of that gain of where the previous one ended.
    static let restartTolerance = 0.25

    static let note = "This log calls fit() again and again, each call starting where the last one ended: the calls are read "
        + "as one training, their epochs in order."

    static func merged(_ runs: [Run]) -> [Run] {
        guard runs.count > 1 else { return runs }
        var result: [Run] = []
        var start: Double?
        for run in runs {
            if var last = result.last, let first = start, continues(last, with: run, startingAt: first) {
                append(run, to: &last)
                result[result.count - 1] = last
            } else {
                result.append(run)
                start = trainingLoss(of: run)?.first
            }
        }
        return result
    }

    /// The finite training loss per epoch.
    private static func trainingLoss(of run: Run) -> [Double]? {
        let values = run.series(named: "loss")?.points.map(\.value).filter(\.isFinite) ?? []
        return values.isEmpty ? nil : values
    }

    private static func continues(_ previous: Run, with next: Run, startingAt first: Double) -> Bool {
        guard previous.crash == nil, previous.name.isEmpty, next.name.isEmpty,
              let planned = next.plannedEpochs, planned >= 2, previous.plannedEpochs == planned || previous.notes.contains(note),
              // A loop runs every call to its end; a call that stopped early (early stopping) ended a
              // phase, and the next call is another one (fine-tuning after a frozen base).
              previous.epochCount % planned == 0, !previous.events.contains(where: { $0.kind == .earlyStopping }),
              epochNames(previous) == epochNames(next),
              previous.series.allSatisfy({ $0.reduction == nil }), next.series.allSatisfy({ $0.reduction == nil }),
              let ended = trainingLoss(of: previous)?.last, let begins = trainingLoss(of: next)?.first else { return false }
        let gain = first - ended
        // Picking up where it left off, the first epoch of a call lands near the last one of the call
        // before: not back toward the start, nor far below it (then something changed between the
        // calls: a learning rate, unfrozen layers, other data).
        return gain >= progressShare * abs(first) && abs(begins - ended) <= restartTolerance * gain
    }

    private static func epochNames(_ run: Run) -> Set<String> {
        Set(run.series.filter { $0.granularity == .epoch }.map(\.name.canonical))
    }

    /// `next`'s series and events after `run`'s epochs.
    private static func append(_ next: Run, to run: inout Run) {
        let offset = run.epochCount
        var series = run.series
        for added in next.series {
            let shifted = added.points.map { point in
                var point = point
                point.epoch = point.epoch.map { $0 + offset }
                return point
            }
            if let index = series.firstIndex(where: { $0.name == added.name && $0.granularity == added.granularity }) {
                series[index].points += shifted
            } else {
                var moved = added
                moved.points = shifted
                series.append(moved)
            }
        }
        run.series = series
        run.events += next.events.map { event in
            var event = event
            event.epoch = event.epoch.map { $0 + offset }
            return event
        }
        run.crash = next.crash
        // Each call planned its own epochs; how many calls were planned is not printed.
        run.plannedEpochs = nil
        for note in next.notes + [note] where !run.notes.contains(note) { run.notes.append(note) }
    }
}
