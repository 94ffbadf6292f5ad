import FuzzSupport
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

// Fuzzes Jupyter notebooks (cell outputs: console text and HTML progress tables).
FuzzHarness.main { data in
    FuzzHarness.run(NotebookParser(library: FuzzHarness.library), on: LogInput(source: "train.ipynb", data: data))
}
