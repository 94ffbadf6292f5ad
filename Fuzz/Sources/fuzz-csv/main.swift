import FuzzSupport
@_spi(Fuzzing) @_spi(Layers) import LossLensAnalysis
@_spi(Fuzzing) @_spi(Layers) import LossLensBytes
@_spi(Fuzzing) @_spi(Layers) import LossLensModel
@_spi(Fuzzing) @_spi(Layers) import LossLensParsers
@_spi(Fuzzing) @_spi(Layers) import LossLensReport

// Fuzzes CSV metrics tables (Keras CSVLogger, Lightning metrics.csv), and checks that reading them
// in small chunks gives what reading them in one chunk gives, that reading them once (columns
// decided from the first rows) gives what reading them in passes gives, and that reading them in
// blocks on several workers gives what reading them in order gives.
FuzzHarness.main { data in
    let parser = CSVParser()
    let input = LogInput(source: "training.csv", data: data)
    FuzzHarness.run(parser, on: input)
    guard let whole = try? parser.parse(input, chunkBytes: 1 << 20) else { return }
    // The first byte picks the chunk size, so chunk ends fall everywhere.
    let chunkBytes = 1 + Int(data.first ?? 0) % 13
    guard let chunked = try? parser.parse(input, chunkBytes: chunkBytes) else {
        fatalError("reading in chunks of \(chunkBytes) bytes failed where reading whole did not")
    }
    // Described, not compared with ==: NaN values are not equal to themselves.
    if String(describing: chunked) != String(describing: whole) {
        fatalError("reading in chunks of \(chunkBytes) bytes differs from reading whole")
    }
    // The second byte picks how many rows decide the columns, so decisions that a later row
    // overturns are made often.
    let decidingRows = 1 + Int(data.dropFirst().first ?? 0) % 7
    guard let once = try? parser.parse(input, chunkBytes: 1 << 20, decidingRows: decidingRows),
        let inPasses = try? parser.parse(input, chunkBytes: 1 << 20, inPasses: true)
    else {
        fatalError("reading once or in passes failed where reading whole did not")
    }
    if String(describing: once) != String(describing: inPasses) {
        fatalError("reading once (columns decided from \(decidingRows) rows) differs from reading in passes")
    }
    // The first byte also picks the block size, so block ends fall everywhere.
    let blockBytes = 1 + Int(data.first ?? 0) % 61
    guard let inOrder = try? parser.parse(input, chunkBytes: 1 << 20, decidingRows: decidingRows, blockWorkers: 1),
        let inBlocks = try? parser.parse(input, chunkBytes: 1 << 20, decidingRows: decidingRows, blockWorkers: 3, blockBytes: blockBytes)
    else {
        fatalError("reading in order or in blocks failed where reading whole did not")
    }
    if String(describing: inBlocks) != String(describing: inOrder) {
        fatalError("reading in blocks of \(blockBytes) bytes differs from reading in order")
    }
}
