import FuzzSupport
@_spi(Fuzzing) @_spi(Layers) import LossLensAnalysis
@_spi(Fuzzing) @_spi(Layers) import LossLensBytes
@_spi(Fuzzing) @_spi(Layers) import LossLensModel
@_spi(Fuzzing) @_spi(Layers) import LossLensParsers
@_spi(Fuzzing) @_spi(Layers) import LossLensReport

// Fuzzes console output of every bundled dialect (Keras, PyTorch, Lightning, Hugging Face), and
// checks that reading it in blocks on several workers gives what reading it in order gives.
FuzzHarness.main { data in
    let parser = ConsoleParser(library: FuzzHarness.library)
    let input = LogInput(source: "train.log", data: data)
    FuzzHarness.run(parser, on: input)
    guard let inOrder = try? parser.parse(input, blockWorkers: 1, blockBytes: 1 << 20) else { return }
    // The first byte picks the block size, so block ends fall everywhere.
    let blockBytes = 1 + Int(data.first ?? 0) % 97
    // Every line with redraws is read as in a long progress bar (`RedrawnStates`).
    guard let inBlocks = try? parser.parse(input, blockWorkers: 3, blockBytes: blockBytes, redrawnLineBytes: 0) else {
        fatalError("reading in blocks of \(blockBytes) bytes failed where reading in order did not")
    }
    // Described, not compared with ==: NaN values are not equal to themselves.
    if String(describing: inBlocks) != String(describing: inOrder) {
        fatalError("reading in blocks of \(blockBytes) bytes differs from reading in order")
    }
}
