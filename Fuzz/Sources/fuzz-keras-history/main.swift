import FuzzSupport
import LossLensCore

// Fuzzes Keras history JSON (and its hand-made variants).
FuzzHarness.main { data in
    FuzzHarness.run(KerasHistoryParser(), on: LogInput(source: "history.json", data: data))
}
