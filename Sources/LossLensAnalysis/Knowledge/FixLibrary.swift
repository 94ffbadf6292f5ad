@_spi(Layers) import LossLensBytes
@_spi(Layers) import LossLensModel
@_spi(Layers) import LossLensParsers
/// Concrete fixes with short Keras and PyTorch snippets, shared by the detectors' knowledge.
public enum FixLibrary {
    public static let lowerLearningRate = Fix(
        "Lower the learning rate by 10x (and consider a warm-up).",
        keras: "model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-4), loss=..., metrics=[...])",
        pytorch: "optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)",
        adjustment: Adjustment(.learningRate, .down))

    public static let raiseLearningRate = Fix(
        "Raise the learning rate (try 10x) or use Adam with its default 1e-3.",
        keras: "model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss=..., metrics=[...])",
        pytorch: "optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)",
        adjustment: Adjustment(.learningRate, .up))

    public static let clipGradients = Fix(
        "Clip gradients so one bad batch cannot blow the weights up.",
        keras: "keras.optimizers.Adam(learning_rate=1e-4, clipnorm=1.0)",
        pytorch: "torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)  # before optimizer.step()")

    public static let normalizeInputs = Fix(
        "Standardize the inputs (and regression targets) with statistics of the training split.",
        keras: "norm = keras.layers.Normalization(); norm.adapt(x_train); model = keras.Sequential([norm, ...])",
        pytorch: "mean, std = x_train.mean(0), x_train.std(0) + 1e-8\nx_train = (x_train - mean) / std; x_val = (x_val - mean) / std")

    public static let checkForBadValues = Fix(
        "Check the data for NaN/inf and guard logs and divisions in custom losses.",
        keras: "assert np.isfinite(x_train).all(); loss = -tf.math.log(tf.clip_by_value(p, 1e-7, 1.0))",
        pytorch: "assert torch.isfinite(x).all(); loss = -torch.log(p.clamp_min(1e-7))")

    public static let detectAnomaly = Fix(
        "Stop at the first non-finite loss to find the batch and layer that produce it.",
        keras: "callbacks=[keras.callbacks.TerminateOnNaN()]",
        pytorch: "torch.autograd.set_detect_anomaly(True)\nif not torch.isfinite(loss): raise RuntimeError(f'non-finite loss at step {step}')")

    public static let sigmoidForBinary = Fix(
        "For two classes use ONE sigmoid unit with binary cross-entropy, or TWO softmax units with "
            + "sparse categorical cross-entropy — never a softmax over a single unit (it always outputs 1.0).",
        keras: "keras.layers.Dense(1, activation='sigmoid')  # loss='binary_crossentropy'",
        pytorch: "nn.Linear(hidden, 1)  # + nn.BCEWithLogitsLoss() on float targets of shape (N, 1)")

    public static let twoLogitsForCrossEntropy = Fix(
        "nn.CrossEntropyLoss needs one logit per class: give the last layer K >= 2 outputs, or use "
            + "BCEWithLogitsLoss for a single logit.",
        keras: "keras.layers.Dense(num_classes)  # loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)",
        pytorch: "nn.Linear(hidden, num_classes)  # loss_fn = nn.CrossEntropyLoss(); targets: int64 in [0, num_classes)")

    public static let bceWithLogits = Fix(
        "Feed raw logits to a loss that applies the sigmoid itself.",
        keras: "loss=keras.losses.BinaryCrossentropy(from_logits=True)",
        pytorch: "loss_fn = nn.BCEWithLogitsLoss()  # instead of nn.BCELoss() on raw outputs")

    public static let checkLabels = Fix(
        "Check that labels match inputs: shuffle features and labels together and look at a few samples by hand.",
        keras: "idx = np.random.permutation(len(x)); x, y = x[idx], y[idx]  # same permutation for both",
        pytorch: "x, y = next(iter(train_loader)); print(x[:4], y[:4])  # do these labels fit these inputs?")

    public static let overfitSmallBatch = Fix(
        "Sanity check: train on one small batch; a healthy model drives its loss near 0 within a few hundred steps.",
        keras: "model.fit(x_train[:32], y_train[:32], epochs=200)",
        pytorch: "xb, yb = next(iter(train_loader))\nfor _ in range(200): opt.zero_grad(); loss_fn(model(xb), yb).backward(); opt.step()")

    public static let betterActivationsAndInit = Fix(
        "Use ReLU-family activations with He initialization (or add batch normalization) in deep networks.",
        keras: "keras.layers.Dense(128, activation='relu', kernel_initializer='he_normal')",
        pytorch: "nn.init.kaiming_normal_(layer.weight, nonlinearity='relu'); nn.BatchNorm1d(128)")

    public static let classWeights = Fix(
        "Counter the class imbalance: class weights or resampling, and judge with precision/recall/F1 instead of accuracy.",
        keras: "model.fit(x, y, class_weight={0: n / (2 * n0), 1: n / (2 * n1)}, ...)",
        pytorch: "loss_fn = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([n_negative / n_positive]))")

    public static let earlyStopping = Fix(
        "Stop at the best validation epoch and keep its weights.",
        keras: "keras.callbacks.EarlyStopping(monitor='val_loss', patience=5, restore_best_weights=True)",
        pytorch: "if val_loss < best: best, bad = val_loss, 0; torch.save(model.state_dict(), 'best.pt')\nelse:\n    bad += 1\n    if bad >= 5: break")

    public static let regularize = Fix(
        "Regularize: dropout, weight decay, data augmentation or a smaller model.",
        keras: "keras.layers.Dropout(0.3); keras.optimizers.AdamW(learning_rate=1e-3, weight_decay=1e-4)",
        pytorch: "nn.Dropout(0.3); torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)",
        adjustment: Adjustment(.regularization, .up))

    public static let trainLonger = Fix(
        "Train for more epochs, with early stopping on the validation loss so that the data decides where to stop.",
        keras: "model.fit(..., epochs=200, callbacks=[keras.callbacks.EarlyStopping(monitor='val_loss', patience=10, restore_best_weights=True)])",
        pytorch: "for epoch in range(200): ...  # and stop when val_loss has not improved for 10 epochs")

    public static let learningRateSchedule = Fix(
        "Decay the learning rate when progress stalls, so late epochs take smaller steps.",
        keras: "keras.callbacks.ReduceLROnPlateau(monitor='val_loss', factor=0.5, patience=3)",
        pytorch: "scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=3)  # scheduler.step(val_loss)",
        adjustment: Adjustment(.learningRate, .down))

    public static let splitBeforePreprocessing = Fix(
        "Split first, then fit preprocessing on the training split only; drop features derived from the label; "
            + "check that no sample (or duplicate) is in both splits.",
        keras: "x_tr, x_val, y_tr, y_val = train_test_split(x, y, test_size=0.2)\nscaler = StandardScaler().fit(x_tr)",
        pytorch: "assert not set(map(hash_sample, train_ds)) & set(map(hash_sample, val_ds))")

    public static let regressionMetrics = Fix(
        "Accuracy compares predictions for exact equality; for a regression target report MAE/RMSE instead.",
        keras: "model.compile(optimizer='adam', loss='mse', metrics=['mae'])",
        pytorch: "mae = (pred - target).abs().mean()")

    public static let softmaxOverClasses = Fix(
        "Match the loss to the output: softmax over K units with (sparse) categorical cross-entropy for K classes.",
        keras: "keras.layers.Dense(num_classes, activation='softmax')  # loss='sparse_categorical_crossentropy'",
        pytorch: "nn.Linear(hidden, num_classes)  # + nn.CrossEntropyLoss(), no softmax before it")

    public static let inspectMetricByHand = Fix(
        "Compute the score by hand on a few predictions and their references: decode both the same way and check that they can match.",
        keras: "preds = model.predict(x_val[:8]); print(decode(preds), decode(y_val[:8]))",
        pytorch: "with torch.no_grad(): out = model.generate(batch['input_ids'][:4])\nprint(tokenizer.batch_decode(out, skip_special_tokens=True), refs[:4])")

    public static let balanceAdversaries = Fix(
        "Slow the discriminator down: a lower discriminator learning rate (TTUR), spectral normalization or a gradient penalty, "
            + "label smoothing on real labels, or fewer discriminator steps per generator step.",
        keras: "d_optimizer = keras.optimizers.Adam(1e-4, beta_1=0.5); g_optimizer = keras.optimizers.Adam(4e-4, beta_1=0.5)",
        pytorch: "opt_d = torch.optim.Adam(D.parameters(), lr=1e-4, betas=(0.5, 0.999))\nD = nn.utils.parametrizations.spectral_norm(D)  # per layer")
}
