@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
/// Epoch numbers as a short phrase: `3`, `3–7`, `1, 4–6, 9`.
@_spi(Layers) public enum EpochList {
    @_spi(Layers) public static func describe(_ epochs: [Int]) -> String {
        var ranges: [(Int, Int)] = []
        for epoch in epochs.sorted() {
            if let last = ranges.last, last.1 + 1 == epoch { ranges[ranges.count - 1].1 = epoch } else { ranges.append((epoch, epoch)) }
        }
        return ranges.map { $0.0 == $0.1 ? "\($0.0)" : "\($0.0)–\($0.1)" }.joined(separator: ", ")
    }
}
