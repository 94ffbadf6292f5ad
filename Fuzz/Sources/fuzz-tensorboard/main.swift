import Foundation
import FuzzSupport
@_spi(Layers) import LossLensAnalysis
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
@_spi(Layers) import LossLensReport

// Fuzzes TensorBoard event files, read alone and as the train/ file of a run folder.
FuzzHarness.main { data in
    let parser = TensorBoardParser()
    FuzzHarness.run(parser, on: LogInput(source: "events.out.tfevents.1.host.1.0.v2", data: data))
    FuzzHarness.run(parser, on: LogInput(source: "run", data: Data(), eventFiles: [("train/events.out.tfevents.1.host.1.0.v2", data)]))
}
