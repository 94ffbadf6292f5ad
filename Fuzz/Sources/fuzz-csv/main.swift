import FuzzSupport
@_spi(Fuzzing) import LossLensCore

// Fuzzes CSV metrics tables (Keras CSVLogger, Lightning metrics.csv), and checks that reading them
// in small chunks gives what reading them in one chunk gives.
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
}
