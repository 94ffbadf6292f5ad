import FuzzSupport
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

// Fuzzes Hugging Face trainer_state.json.
FuzzHarness.main { data in
    FuzzHarness.run(HuggingFaceStateParser(), on: LogInput(source: "trainer_state.json", data: data))
}
