import Foundation
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel

/// Whether a chart or sparkline plots values as they are or as log10: a loss that starts at 1e19 and
/// settles at 2.4 is a flat line on a linear axis.
@_spi(Layers) public enum ValueScale: Equatable {
    case linear, log10

    /// Values spanning this many orders of magnitude or more are drawn on a log scale.
    static let logThresholdDecades = 3.0

    /// log10 when every finite value is positive and max/min spans at least `logThresholdDecades`.
    static func suited(to values: [Double]) -> ValueScale {
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max(), low > 0 else { return .linear }
        return Foundation.log10(high / low) >= logThresholdDecades ? .log10 : .linear
    }

    @_spi(Layers) public func transform(_ value: Double) -> Double {
        switch self {
        case .linear: return value
        case .log10: return Foundation.log10(value)
        }
    }
}
