import Foundation
@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers

/// Known exceptions that end training runs, mapped to their usual causes and fixes.
/// Entries are matched against `ExceptionType: message`, case-insensitively, first match wins.
public enum CrashCatalog {
    public struct Entry: Sendable {
        /// Short stable name used in tests and messages.
        public let name: String
        /// Regular expressions; any may match.
        @_spi(Layers) public let patterns: [String]
        public let summary: String
        /// Ranked causes; `match` is the text of the log that matched.
        @_spi(Layers) public let causes: @Sendable (_ match: String) -> [Cause]
        public let fixes: [Fix]
    }

    /// The first entry that matches the crash, with the text that matched.
    public static func entry(for crash: Crash) -> (entry: Entry, match: String)? {
        let text = crash.exceptionType + ": " + crash.message
        for entry in entries {
            for pattern in entry.patterns {
                if let range = text.range(of: pattern, options: [.regularExpression, .caseInsensitive]) {
                    return (entry, String(text[range]))
                }
            }
        }
        return nil
    }

    static func firstInteger(in text: String) -> String? {
        text.range(of: #"-?\d+"#, options: .regularExpression).map { String(text[$0]) }
    }

    public static let entries: [Entry] = [
        Entry(
            name: "bce-input-range",
            patterns: [#"all elements of input should be between 0 and 1"#],
            summary: "nn.BCELoss (F.binary_cross_entropy) received values outside [0, 1]",
            causes: { match in [
                Cause("The model outputs raw logits but the loss is nn.BCELoss, which expects probabilities.",
                      because: "PyTorch raised \"\(match)\": BCELoss refuses inputs that a sigmoid would have kept in [0, 1]"),
                Cause("The prediction and target arguments are swapped, or the input is NaN after a divergence.",
                      because: "the same error is raised for any input value outside [0, 1]"),
            ] },
            fixes: [FixLibrary.bceWithLogits,
                    Fix("Or keep BCELoss and end the model in a sigmoid.", pytorch: "model = nn.Sequential(..., nn.Linear(hidden, 1), nn.Sigmoid())")]),
        Entry(
            name: "target-out-of-bounds",
            patterns: [#"Target -?\d+ is out of bounds"#],
            summary: "nn.CrossEntropyLoss / NLLLoss received a class index the output layer does not have",
            causes: { match in
                let label = firstInteger(in: match) ?? "N"
                return [
                    Cause("Labels are 1-based (1…K) instead of 0-based (0…K-1), or the output layer has fewer units than there are classes.",
                          because: "PyTorch raised \"\(match)\": label \(label) needs at least \(Int(label).map { String($0 + 1) } ?? "N+1") output units"),
                    Cause("The label column contains an unexpected value (e.g. -1 for \"unknown\", or a class missing when num_classes was computed).",
                          because: "any label outside [0, num_classes) raises this error"),
                ]
            },
            fixes: [FixLibrary.twoLogitsForCrossEntropy,
                    Fix("Shift 1-based labels to 0-based, or set num_classes = max(label) + 1.",
                        keras: "y = y - 1  # labels 1..K -> 0..K-1", pytorch: "targets = targets - 1  # or: num_classes = int(labels.max()) + 1")]),
        Entry(
            name: "label-out-of-range",
            patterns: [#"Received a label value of -?\d+ which is outside the valid range of \[[^)\]]*[)\]]"#,
                       #"label value outside the valid range"#, #"labels? (value|values)? ?(must be|should be) (in|within|less than)"#],
            summary: "Keras/TensorFlow sparse cross-entropy received a label outside [0, number of output units)",
            causes: { match in [
                Cause("Labels are 1-based or the last Dense layer has fewer units than there are classes.",
                      because: "TensorFlow raised \"\(match)\""),
                Cause("The labels are one-hot or continuous values where class indices are expected.",
                      because: "sparse categorical cross-entropy interprets every label as an index into the output units"),
            ] },
            fixes: [FixLibrary.softmaxOverClasses,
                    Fix("Make labels 0-based integers below the number of output units.", keras: "y = y - y.min()  # and Dense(int(y.max()) + 1)")]),
        Entry(
            name: "device-side-assert",
            patterns: [#"device-side assert triggered"#, #"CUDA error: an illegal memory access"#],
            summary: "a CUDA kernel assertion failed (usually an index out of range on the GPU)",
            causes: { match in [
                Cause("A label is outside [0, num_classes) in a cross-entropy/NLL loss or an index into an embedding is too large.",
                      because: "\"\(match)\" is how CUDA reports an out-of-range index that the CPU would report as \"Target N is out of bounds\""),
                Cause("The error surfaced at a later, unrelated line because CUDA reports asynchronously.",
                      because: "CUDA kernels run asynchronously, so the traceback points past the failing operation"),
            ] },
            fixes: [Fix("Re-run on the CPU or with synchronous CUDA to get the real error and line.",
                        pytorch: "CUDA_LAUNCH_BLOCKING=1 python train.py   # or run one batch with device='cpu'"),
                    FixLibrary.twoLogitsForCrossEntropy]),
        Entry(
            name: "out-of-memory",
            patterns: [#"CUDA out of memory"#, #"OutOfMemoryError"#, #"ResourceExhaustedError"#, #"OOM when allocating"#,
                       #"out of memory"#],
            summary: "the accelerator ran out of memory",
            causes: { match in [
                Cause("The batch (or sequence length / image size) is too large for the GPU memory.",
                      because: "the run ended with \"\(match)\""),
                Cause("Tensors are kept alive across steps, e.g. summing `loss` instead of `loss.item()` keeps every graph.",
                      because: "memory that grows step by step until it runs out points at accumulated graphs rather than one large batch"),
            ] },
            fixes: [Fix("Halve the batch size (use gradient accumulation to keep the effective batch), or use mixed precision.",
                        keras: "model.fit(x, y, batch_size=16); keras.mixed_precision.set_global_policy('mixed_float16')",
                        pytorch: "total_loss += loss.item()  # not `loss`\nwith torch.autocast('cuda', dtype=torch.float16): out = model(x)")]),
        Entry(
            name: "shape-mismatch",
            patterns: [#"shapes? .{0,80}(are|is) incompatible"#, #"Incompatible shapes"#, #"size mismatch"#,
                       #"mat1 and mat2 shapes cannot be multiplied"#, #"Using a target size .{0,80} different to the input size"#,
                       #"Expected input batch_size \(\d+\) to match target batch_size \(\d+\)"#,
                       #"expected (input|target) .{0,40}shape"#, #"must match the size of tensor"#,
                       #"Target size \(.*\) must be the same as input size"#, #"Dimensions must be equal"#],
            summary: "tensor shapes do not fit together",
            causes: { match in [
                Cause("The targets have a different shape than the outputs: one-hot labels with a sparse loss (or the reverse), "
                        + "or targets of shape (N,) against outputs of shape (N, 1).",
                      because: "the run ended with \"\(match)\""),
                Cause("The number of input features (or a flatten size) does not match the first layer.",
                      because: "a shape error at the first layer or a matmul points at the input size"),
            ] },
            fixes: [Fix("Print the shapes of one batch of inputs, outputs and targets and make the loss's expectations match.",
                        keras: "print(x_train.shape, y_train.shape, model.output_shape)  # one-hot y -> categorical_crossentropy; int y -> sparse_",
                        pytorch: "out = model(xb); print(xb.shape, out.shape, yb.shape)  # BCEWithLogits: yb.float().view_as(out)")]),
        Entry(
            name: "dtype-mismatch",
            patterns: [#"expected scalar type \w+ but found \w+"#, #"Found dtype \w+ but expected \w+"#,
                       #"expected object of scalar type"#, #"not implemented for '\w+'"#],
            summary: "a tensor has the wrong dtype for the loss or layer",
            causes: { match in [
                Cause("Targets are float where class indices (int64) are expected, or int where BCE expects float.",
                      because: "the run ended with \"\(match)\""),
            ] },
            fixes: [Fix("Cast targets to what the loss expects.",
                        keras: "y = y.astype('float32')  # binary_crossentropy; int for sparse_categorical_crossentropy",
                        pytorch: "loss_fn(out, y.long())  # CrossEntropyLoss; BCEWithLogitsLoss: y.float()")]),
        Entry(
            name: "no-grad",
            patterns: [#"element 0 of tensors does not require grad"#, #"does not have a grad_fn"#],
            summary: "backward() was called on a tensor that is not connected to the model's parameters",
            causes: { match in [
                Cause("The loss was computed from detached values (`.item()`, `.detach()`, numpy, `torch.no_grad()`) or the parameters are frozen.",
                      because: "the run ended with \"\(match)\""),
            ] },
            fixes: [Fix("Compute the loss from the model's output tensor inside the autograd graph.",
                        pytorch: "out = model(x)  # no torch.no_grad() around the training step\nloss = loss_fn(out, y); loss.backward()")]),
        Entry(
            name: "non-finite-loss",
            patterns: [#"(loss|gradient)s? (is|are|became|has) (nan|inf)"#, #"Tensor had (NaN|Inf) values"#, #"non-finite loss"#],
            summary: "the training code stopped on a NaN or infinite value",
            causes: { match in [
                Cause("The learning rate is too high or inputs are unnormalized, so the loss overflowed.",
                      because: "the run ended with \"\(match)\""),
                Cause("A custom loss takes log(0) or divides by zero.",
                      because: "a single NaN anywhere in the loss stops training"),
            ] },
            fixes: [FixLibrary.lowerLearningRate, FixLibrary.normalizeInputs, FixLibrary.checkForBadValues]),
    ]
}
