import FuzzSupport
import LossLensCore

// Fuzzes CSV metrics tables (Keras CSVLogger, Lightning metrics.csv).
FuzzHarness.main { data in
    FuzzHarness.run(CSVParser(), on: LogInput(source: "training.csv", data: data))
}
