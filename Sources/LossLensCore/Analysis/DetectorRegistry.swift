/// Every detector losslens runs, in report order.
public enum DetectorRegistry {
    public static let all: [any Detector.Type] = []

    public static func detector(id: String) -> (any Detector.Type)? {
        all.first { $0.description.id == id }
    }
}
