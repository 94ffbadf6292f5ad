import FuzzSupport
import LossLensCore

// Fuzzes Jupyter notebooks (cell outputs: console text and HTML progress tables).
FuzzHarness.main { data in
    FuzzHarness.run(NotebookParser(library: FuzzHarness.library), on: LogInput(source: "train.ipynb", data: data))
}
