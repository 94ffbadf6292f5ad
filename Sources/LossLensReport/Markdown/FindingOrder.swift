@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
/// Findings as the report lists them: most severe first, then most confident; ties keep detector order.
@_spi(Layers) public enum FindingOrder {
    @_spi(Layers) public static func sorted(_ findings: [Finding]) -> [Finding] {
        findings.enumerated().sorted { lhs, rhs in
            if lhs.element.severity != rhs.element.severity { return lhs.element.severity > rhs.element.severity }
            if lhs.element.confidence != rhs.element.confidence { return lhs.element.confidence > rhs.element.confidence }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }
}
