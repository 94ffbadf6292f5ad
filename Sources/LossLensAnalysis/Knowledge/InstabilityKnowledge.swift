@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// Causes of NaN, divergence, spikes and oscillation, ranked by what the run shows.
@_spi(Layers) public enum InstabilityKnowledge {
    /// Causes of a first non-finite value.
    /// - Parameters:
    ///   - growthBefore: factor by which the metric grew over the values just before the first non-finite one (nil if none).
    ///   - atStart: the very first value is already non-finite.
    static func nonFiniteCauses(growthBefore: Double?, atStart: Bool, firstDescription: String) -> [Cause] {
        let learningRate = Cause("The learning rate is too high: updates overshoot until the weights overflow.",
                                 because: "")
        let inputs = Cause("Inputs (or regression targets) are unnormalized or contain NaN/inf, so activations overflow.",
                           because: "")
        let customLoss = Cause("A custom loss or metric takes log(0), sqrt of a negative, or divides by zero; "
                                 + "or float16 overflowed without loss scaling.", because: "")
        if let growth = growthBefore, growth >= 10 {
            return [
                Cause(learningRate.text, because: "the metric grew \(ValueFormat.number(growth))x in the epochs before \(firstDescription): a runaway, not a single bad batch"),
                Cause(customLoss.text, because: "less likely: the values were growing rather than fine right before the NaN"),
                Cause(inputs.text, notInLog: "unnormalized data makes the same runaway more likely"),
            ]
        }
        if atStart {
            return [
                Cause(learningRate.text, because: "the value is non-finite from \(firstDescription): the first updates already broke the weights, which a too-large step does"),
                Cause(inputs.text, because: "non-finite from \(firstDescription) is also what a NaN or huge value in the very first batches gives"),
                Cause(customLoss.text, because: "non-finite from \(firstDescription) is also what log(0) in the first batch that hits it gives"),
            ]
        }
        return [
            Cause(customLoss.text, because: "the values were finite and not exploding before \(firstDescription): a sudden NaN points at a numerical edge case"),
            Cause(learningRate.text, because: "less likely: the values did not grow before the NaN"),
            Cause(inputs.text, notInLog: "one bad sample or batch can produce a NaN late in training"),
        ]
    }
}
