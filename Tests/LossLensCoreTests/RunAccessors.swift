@_spi(Layers) @testable import LossLensAnalysis
@_spi(Layers) @testable import LossLensBytes
@_spi(Layers) @testable import LossLensModel
@_spi(Layers) @testable import LossLensParsers
@_spi(Layers) @testable import LossLensReport

extension Run {
    /// Values of the series with this key (`val_loss`, `loss@step`), for assertions.
    func values(_ key: String) -> [Double]? {
        series.first { $0.key == key }?.values
    }

    func epochs(_ key: String) -> [Int?]? {
        series.first { $0.key == key }?.points.map(\.epoch)
    }
}
