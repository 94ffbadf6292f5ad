@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// Every detector losslens runs, in report order.
public enum DetectorRegistry {
    public static let all: [any Detector.Type] = [
        CrashDetector.self,
        NonFiniteDetector.self,
        ZeroDetector.self,
        DivergingDetector.self,
        SpikeDetector.self,
        OscillatingDetector.self,
        FlatDetector.self,
        ChanceLevelDetector.self,
        MajorityClassDetector.self,
        MetricMismatchDetector.self,
        LeakSuspectDetector.self,
        OverfittingDetector.self,
        NotConvergedDetector.self,
        TooShortDetector.self,
    ]

    public static func detector(id: String) -> (any Detector.Type)? {
        all.first { $0.description.id == id }
    }
}
