@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
import PCRE2

/// The group numbers of one pattern's named groups, looked up once instead of by name per line.
/// A class: the patterns are walked for every line, and copying a reference costs one retain where
/// copying the names would cost one per name.
@_spi(Layers) public final class PatternGroups {
    @_spi(Layers) public let epoch, epochs, step, globalStep, metrics, split: Int?
    /// Groups named after a metric (`(?<test_loss>...)`), in name order.
    let metricGroups: [(name: MetricName, number: Int)]

    @_spi(Layers) public init(_ pattern: Pattern) {
        let numbers = pattern.groupNumbers
        epoch = numbers["epoch"]
        epochs = numbers["epochs"]
        step = numbers["step"]
        globalStep = numbers["global_step"]
        metrics = numbers["metrics"]
        split = numbers["split"]
        metricGroups = numbers.keys.sorted().filter { !PatternDialect.reservedGroups.contains($0) }
            .map { (MetricName(raw: $0), numbers[$0]!) }
    }
}

/// The group ranges of a match, read in place (`MatchRanges`) or remembered (`StoredGroupRanges`).
@_spi(Layers) public protocol GroupRanges {
    subscript(_ group: Int) -> Range<Int>? { get }
}

@_spi(Layers) extension MatchRanges: GroupRanges {}

@_spi(Layers) public struct StoredGroupRanges: GroupRanges {
    @_spi(Layers) public let ranges: [Range<Int>?]

    @_spi(Layers) public subscript(_ group: Int) -> Range<Int>? { group >= 0 && group < ranges.count ? ranges[group] : nil }
}
