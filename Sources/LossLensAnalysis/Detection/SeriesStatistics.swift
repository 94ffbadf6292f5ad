import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers

/// Robust, scale-free statistics over metric values, shared by every detector so that thresholds
/// mean the same thing everywhere. Inputs are plain value arrays; callers drop non-finite values first.
public enum SeriesStatistics {
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let middle = values.count / 2
        // `sorted()` leaves NaN and the order of -0 and +0 to its algorithm: only without them does
        // selecting give what sorting gives. Selecting is linear: the Theil–Sen slope of a long run
        // takes the median of half a million slopes.
        if values.count > 64, !values.contains(where: { $0.isNaN || ($0 == 0 && $0.sign == .minus) }) {
            var work = values
            let upper = select(middle, in: &work)
            return values.count % 2 == 0 ? (work[..<middle].max()! + upper) / 2 : upper
        }
        let sorted = values.sorted()
        return sorted.count % 2 == 0 ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }

    /// The `rank`-th smallest of `values` (from 0), which are left with every value before `rank`
    /// no larger than it (quickselect, the middle of three as pivot).
    private static func select(_ rank: Int, in values: inout [Double]) -> Double {
        var low = 0, high = values.count - 1
        while low < high {
            let mid = low + (high - low) / 2
            if values[mid] < values[low] { values.swapAt(mid, low) }
            if values[high] < values[low] { values.swapAt(high, low) }
            if values[high] < values[mid] { values.swapAt(high, mid) }
            let pivot = values[mid]
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while pivot < values[j] { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if rank <= j {
                high = j
            } else if rank >= i {
                low = i
            } else {
                break
            }
        }
        return values[rank]
    }

    /// The window length detectors compare: a fifth of the run, at least 3 and at most 10 epochs,
    /// so that one noisy epoch never decides a finding.
    public static func windowLength(forCount count: Int) -> Int {
        max(3, min(10, count / 5))
    }

    /// `(b - a) / |a|`: the change from `a` to `b` as a fraction of `a`; nil when `a` is 0.
    public static func relativeChange(from a: Double, to b: Double) -> Double? {
        guard a != 0 else { return nil }
        return (b - a) / abs(a)
    }

    /// Relative change from the median of the first `window` values to the median of the last `window`.
    public static func relativeChangeOverRun(_ values: [Double], window: Int) -> Double? {
        guard values.count >= 2 else { return nil }
        let length = max(1, min(window, values.count / 2))
        guard let first = median(Array(values.prefix(length))), let last = median(Array(values.suffix(length))) else {
            return nil
        }
        return relativeChange(from: first, to: last)
    }

    /// `(max - min) / |median|`: how far the values spread relative to their level.
    public static func relativeSpread(_ values: [Double]) -> Double? {
        guard let low = values.min(), let high = values.max(), let center = median(values) else { return nil }
        if high == low { return 0 }
        guard center != 0 else { return .infinity }
        return (high - low) / abs(center)
    }

    /// Theil–Sen slope: the median of the slopes between all pairs of points (x = index).
    /// Robust to a few outliers, unlike least squares.
    public static func theilSenSlope(_ values: [Double]) -> Double? {
        guard values.count >= 2 else { return nil }
        // All pairs grow with the square of the length: past `theilSenPoints` values (tens of
        // thousands of epochs, the aggregate of a gigabyte log) the slope is taken over that many
        // evenly spaced values, first and last included, each pair divided by its real distance.
        let positions = values.count <= theilSenPoints ? Array(values.indices)
            : (0..<theilSenPoints).map { $0 * (values.count - 1) / (theilSenPoints - 1) }
        var slopes: [Double] = []
        slopes.reserveCapacity(positions.count * (positions.count - 1) / 2)
        for a in 0..<positions.count {
            for b in (a + 1)..<positions.count {
                let i = positions[a], j = positions[b]
                slopes.append((values[j] - values[i]) / Double(j - i))
            }
        }
        return median(slopes)
    }

    /// The most values the Theil–Sen slope pairs exactly (half a million pairs).
    static let theilSenPoints = 1000

    /// Theil–Sen slope of `ln(value)`: the typical growth per epoch as a log factor
    /// (`ln 2` = doubling each epoch). Only for strictly positive values; nil otherwise.
    public static func logSlope(_ values: [Double]) -> Double? {
        guard values.count >= 2, values.allSatisfy({ $0 > 0 }) else { return nil }
        return theilSenSlope(values.map { Foundation.log($0) })
    }

    /// Differences between consecutive values.
    public static func differences(_ values: [Double]) -> [Double] {
        guard values.count >= 2 else { return [] }
        return (1..<values.count).map { values[$0] - values[$0 - 1] }
    }

    /// Fraction of consecutive moves that reverse direction (0 = monotone, 1 = zigzag every epoch).
    /// Moves of exactly zero are ignored.
    public static func signChangeRate(_ values: [Double]) -> Double? {
        let moves = differences(values).filter { $0 != 0 }
        guard moves.count >= 2 else { return nil }
        let reversals = (1..<moves.count).filter { (moves[$0] > 0) != (moves[$0 - 1] > 0) }.count
        return Double(reversals) / Double(moves.count - 1)
    }

    /// Epoch-to-epoch log-ratios `ln(x[i] / x[i-1])` for strictly positive values.
    public static func logRatios(_ values: [Double]) -> [Double]? {
        guard values.count >= 2, values.allSatisfy({ $0 > 0 }) else { return nil }
        return (1..<values.count).map { Foundation.log(values[$0] / values[$0 - 1]) }
    }

    /// Medians of every window of `length` consecutive values (a rolling median, smoothing noise).
    public static func rollingMedians(_ values: [Double], length: Int) -> [Double] {
        guard length >= 1, values.count >= length else { return [] }
        return (0...(values.count - length)).compactMap { median(Array(values[$0..<($0 + length)])) }
    }

    /// Entropy `-p ln p - (1-p) ln(1-p)` of a two-class prior: the loss of a model that always
    /// predicts that prior.
    public static func binaryEntropy(_ p: Double) -> Double {
        guard p > 0, p < 1 else { return 0 }
        return -p * Foundation.log(p) - (1 - p) * Foundation.log(1 - p)
    }
}
