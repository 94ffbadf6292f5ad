import FuzzSupport
import LossLensCore

// Fuzzes console output of every bundled dialect (Keras, PyTorch, Lightning, Hugging Face).
FuzzHarness.main { data in
    FuzzHarness.run(ConsoleParser(library: FuzzHarness.library), on: LogInput(source: "train.log", data: data))
}
