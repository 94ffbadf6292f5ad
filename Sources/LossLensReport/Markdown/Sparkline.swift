@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
/// A one-line picture of a series with the block characters ▁▂▃▄▅▆▇█. Non-finite values keep their own
/// marks so a NaN never hides inside a bar: `×` NaN, `↑` +inf, `↓` -inf.
@_spi(Layers) public enum Sparkline {
    @_spi(Layers) public static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    static let nanMark: Character = "×"
    static let positiveInfinityMark: Character = "↑"
    static let negativeInfinityMark: Character = "↓"
    @_spi(Layers) public static let defaultWidth = 40

    /// Longer series are averaged into `width` buckets; a bucket holding a non-finite value shows it.
    @_spi(Layers) public static func render(_ values: [Double], width: Int = defaultWidth, scale: ValueScale? = nil) -> String {
        guard !values.isEmpty else { return "" }
        let scale = scale ?? ValueScale.suited(to: values)
        let scaled = values.map { $0.isFinite ? scale.transform($0) : $0 }
        let buckets = bucketed(scaled, width: max(1, width))
        let finite = buckets.filter(\.isFinite)
        let low = finite.min() ?? 0
        let high = finite.max() ?? 0
        return String(buckets.map { value -> Character in
            if value.isNaN { return nanMark }
            if value.isInfinite { return value > 0 ? positiveInfinityMark : negativeInfinityMark }
            guard high > low else { return levels[levels.count / 2 - 1] }
            let position = (value - low) / (high - low) * Double(levels.count - 1)
            return levels[Int(position.rounded())]
        })
    }

    static func bucketed(_ values: [Double], width: Int) -> [Double] {
        guard values.count > width else { return values }
        return (0..<width).map { bucket in
            let slice = values[(bucket * values.count / width)..<((bucket + 1) * values.count / width)]
            if let nonFinite = slice.first(where: { !$0.isFinite }) {
                return slice.contains(where: \.isNaN) ? .nan : nonFinite
            }
            return slice.reduce(0, +) / Double(slice.count)
        }
    }
}
