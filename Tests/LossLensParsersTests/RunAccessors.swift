@_spi(Layers) @testable import LossLensModel

extension Run {
    /// Values of the series with this key (`val_loss`, `loss@step`), for assertions.
    func values(_ key: String) -> [Double]? {
        series.first { $0.key == key }?.values
    }

    func epochs(_ key: String) -> [Int?]? {
        series.first { $0.key == key }?.points.map(\.epoch)
    }
}
