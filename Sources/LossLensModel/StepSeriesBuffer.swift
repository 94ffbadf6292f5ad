@_spi(Layers) import LossLensBytes
/// Collects the points of one per-step series while a log is read, in bounded memory.
///
/// Up to `exactLimit` points every point is kept. Past it the series is reduced: exact per-epoch
/// statistics (count, mean, finite min/max, first non-finite point) cover every point, and the
/// points kept are a deterministic sample: every `stride`-th point, the stride doubling whenever the
/// sample outgrows the limit, plus the first and last points, the first NaN, +inf and -inf and the
/// point just before each of them (the last value before a blow-up is evidence).
@_spi(Layers) public struct StepSeriesBuffer {
    /// 50 000 points per series: more than a chart or a detector needs, and small enough that a
    /// run with a handful of step series is reported (JSON included) well within 64 MB.
    @_spi(Layers) public static let exactLimit = 50_000

    private let limit: Int
    @_spi(Layers) public private(set) var count = 0
    private var points: [MetricPoint] = []
    /// Logged index of each kept point, once reduced (empty while exact).
    private var indices: [Int] = []
    private var stride = 1
    private var epochOrder: [Int: Int] = [:]
    /// In order of first appearance; the one at `openPosition` is out of date: `open` holds it.
    private var epochs: [EpochStatistics] = []
    /// The statistics of the epoch of the last point, kept here rather than in `epochs`: most points
    /// fall in the epoch of the point before them, and this spares reaching into the array for each.
    private var open = EpochStatistics(epoch: 0)
    private var openPosition: Int?
    private var pinned: [(index: Int, point: MetricPoint)] = []
    private var seenNonFinite: Set<Int> = []
    /// The last point appended (while a point is appended: the one before it).
    private var last: MetricPoint?

    @_spi(Layers) public init(limit: Int = exactLimit) {
        self.limit = max(2, limit)
    }

    var isReduced: Bool { count > limit }

    /// Inlined: the point is built by the caller, and passing it through memory to a call stalled
    /// the load of every field.
    @inline(__always)
    @_spi(Layers) public mutating func append(_ point: MetricPoint) {
        let index = count
        count += 1
        if let epoch = point.epoch { addToEpoch(epoch, point) }
        if !point.value.isFinite { pinFirst(point, at: index) }
        defer { last = point }
        if index < limit {
            appendExact(point)
        } else if index & (stride - 1) == 0 || index == limit {
            // `stride` is a power of two.
            appendSampled(point, at: index)
        }
    }

    /// Appends the values of `column` (one row per point), the rest of each point from `positions`:
    /// what appending the points one by one does, without the record that holds each value being
    /// looked at for it.
    @_spi(Layers) public mutating func append(_ column: RecordBatch.ValueColumn, at positions: StepRows) {
        var row = 0
        while row < positions.count {
            // Past the exact points, most values only add to the open epoch's statistics: those
            // are summed here, in order, and stored once.
            if count > limit, openPosition != nil {
                row = addToOpenEpoch(from: row, of: column, at: positions)
                guard row < positions.count else { break }
            }
            let value = column[row]
            let index = count
            count += 1
            let epoch = positions.rows[row].epoch
            if value.isFinite, openPosition != nil, open.epoch == epoch {
                open.addFinite(value, line: positions.rows[row].line)
            } else {
                addToEpoch(epoch, positions.point(row, value: value))
            }
            if !value.isFinite {
                if row > 0 { last = positions.point(row - 1, value: column[row - 1]) }
                pinFirst(positions.point(row, value: value), at: index)
            }
            if index < limit {
                appendExact(positions.point(row, value: value))
            } else if index & (stride - 1) == 0 || index == limit {
                appendSampled(positions.point(row, value: value), at: index)
            }
            row += 1
        }
        if positions.count > 0 {
            let final = positions.count - 1
            last = positions.point(final, value: column[final])
        }
    }

    /// Adds the values from `row` on that are finite, fall in the open epoch and are not sampled to
    /// its statistics; returns the first row that is not one of them.
    private mutating func addToOpenEpoch(
        from start: Int, of column: RecordBatch.ValueColumn, at positions: StepRows
    ) -> Int {
        var statistics = open
        var row = start
        var minimum = statistics.minimum ?? .infinity, maximum = statistics.maximum ?? -.infinity
        let mask = stride - 1
        // `indexOffset + row` is the logged index of the point of `row`; the count and the last line
        // are set once, after the loop.
        let indexOffset = count - start
        let positions = positions.rows
        while row < positions.count {
            let value = column[row]
            guard value.isFinite, positions[row].epoch == statistics.epoch, (indexOffset &+ row) & mask != 0 else { break }
            statistics.sum += value
            minimum = Swift.min(minimum, value)
            maximum = Swift.max(maximum, value)
            row += 1
        }
        guard row > start else { return start }
        statistics.count += row - start
        statistics.lastLine = positions[row - 1].line
        statistics.minimum = minimum
        statistics.maximum = maximum
        open = statistics
        count += row - start
        return row
    }

    private mutating func appendExact(_ point: MetricPoint) {
        if points.count == points.capacity { points.reserveCapacity(grownCapacity) }
        points.append(point)
    }

    /// Doubling while small; past `wholeRoomAfter` points the series is long, and room for all it
    /// will keep is taken at once. That room costs no memory until written (the pages of a large
    /// allocation are mapped on first use), while each doubling copied every point into pages never
    /// touched before: most of the page faults of reading a 100 MB per-step log.
    private var grownCapacity: Int {
        let whole = limit + Self.roomForExtras
        return points.capacity >= Self.wholeRoomAfter ? whole : min(whole, max(64, 2 * points.capacity))
    }

    private static let wholeRoomAfter = 4096
    /// The pinned points and the last point that `finish` merges into the sample: at most three
    /// non-finite kinds with the point before each, and the last.
    private static let roomForExtras = 7

    private mutating func appendSampled(_ point: MetricPoint, at index: Int) {
        if index == limit {
            // The exact points become the sample: from here on they need their logged index.
            indices.reserveCapacity(limit + 1)
            indices.append(contentsOf: 0..<points.count)
            thin()
            guard index & (stride - 1) == 0 else { return }
        }
        points.append(point)
        indices.append(index)
        if points.count > limit { thin() }
    }

    /// Doubles the stride and keeps the sampled points that fall on it.
    private mutating func thin() {
        stride *= 2
        var kept = 0
        for position in points.indices where indices[position] % stride == 0 {
            points[kept] = points[position]
            indices[kept] = indices[position]
            kept += 1
        }
        points.removeLast(points.count - kept)
        indices.removeLast(indices.count - kept)
    }

    @inline(__always)
    private mutating func addToEpoch(_ epoch: Int, _ point: MetricPoint) {
        if openPosition != nil, open.epoch == epoch {
            open.add(point)
        } else {
            addToOtherEpoch(epoch, point)
        }
    }

    private mutating func addToOtherEpoch(_ epoch: Int, _ point: MetricPoint) {
        if let openPosition { epochs[openPosition] = open }
        if let position = epochOrder[epoch] {
            openPosition = position
            open = epochs[position]
        } else {
            epochOrder[epoch] = epochs.count
            openPosition = epochs.count
            open = EpochStatistics(epoch: epoch)
            epochs.append(open)
        }
        open.add(point)
    }

    private mutating func pinFirst(_ point: MetricPoint, at index: Int) {
        let kind = point.value.isNaN ? 0 : point.value > 0 ? 1 : 2
        guard seenNonFinite.insert(kind).inserted else { return }
        if let previous = last { pinned.append((index - 1, previous)) }
        pinned.append((index, point))
    }

    /// The points to report and, when reduced, what is known of all of them. Leaves the buffer
    /// spent: the sample becomes the reported points in place, without a copy of its pages.
    @_spi(Layers) public mutating func finish() -> (points: [MetricPoint], reduction: SeriesReduction?) {
        guard isReduced else { return (points, nil) }
        var extra = pinned
        if let last { extra.append((count - 1, last)) }
        mergeIntoSample(extra)
        var epochs = epochs
        if let openPosition { epochs[openPosition] = open }
        return (points, SeriesReduction(originalCount: count, epochs: epochs))
    }

    /// Merges `extra` (in logged order, like the sample) into the sample from the back, then keeps
    /// one point per logged index: the sample's where both have it, else the first extra's.
    private mutating func mergeIntoSample(_ extra: [(index: Int, point: MetricPoint)]) {
        var sample = points.count - 1
        points.append(contentsOf: extra.map(\.point))
        indices.append(contentsOf: extra.map(\.index))
        var write = points.count - 1
        var next = extra.count - 1
        while next >= 0 {
            if sample >= 0, indices[sample] > extra[next].index {
                (points[write], indices[write]) = (points[sample], indices[sample])
                sample -= 1
            } else {
                (points[write], indices[write]) = (extra[next].point, extra[next].index)
                next -= 1
            }
            write -= 1
        }
        var kept = 0
        for position in points.indices where kept == 0 || indices[position] != indices[kept - 1] {
            (points[kept], indices[kept]) = (points[position], indices[position])
            kept += 1
        }
        points.removeLast(points.count - kept)
        indices = []
    }
}
