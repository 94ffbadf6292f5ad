import FuzzSupport
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

// Fuzzes Keras history JSON (and its hand-made variants).
FuzzHarness.main { data in
    FuzzHarness.run(KerasHistoryParser(), on: LogInput(source: "history.json", data: data))
}
