import FuzzSupport
import LossLensCore

// Fuzzes Hugging Face trainer_state.json.
FuzzHarness.main { data in
    FuzzHarness.run(HuggingFaceStateParser(), on: LogInput(source: "trainer_state.json", data: data))
}
