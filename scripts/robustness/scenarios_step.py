"""Short step-level runs (1-3 data epochs, hundreds of logged steps), written as a Hugging Face Trainer
fine-tune (a classifier) or a nanoGPT-style run (a character LM): healthy, NaN at a step (warm-up to a far too
high learning rate), a one-step learning-rate blow-up whose spike recovers, divergence (a schedule that keeps
growing), and a training loss that reaches exactly 0 (as logged) within a few hundred steps (a leaked label)."""
import keras
import numpy as np

import data
import models
from scenarios_common import Scenario, majority, pick, sample_config
from training import Run, fit_intervals


def lr_steps(schedule, steps):
    return [float(schedule(np.float32(i))) if callable(schedule) else float(schedule) for i in range(steps)]


def short_run(seed, rng, lr=None, schedule=None, opt="adam", leak=False, repeated_text=False, family=None, arch=None,
              poison=None, poison_scale=None, archs=("mlp-1x64", "mlp-2x64", "transformer", "gru")):
    """family 'hf' (classifier, eval every interval) or 'nanogpt' (char LM). Fits in intervals of steps."""
    family = family or ("hf" if seed % 2 else "nanogpt")
    batch = 8 if family == "hf" else int(pick(rng, [16, 32]))
    if family == "hf":
        cfg = sample_config(rng, classes=pick(rng, [2, 10]), archs=list(archs))
        cfg.update(batch=batch)
        x, y = data.digits(rng, classes=10 if cfg["classes"] == 2 else cfg["classes"])
        if cfg["classes"] == 2:
            y = y % 2  # odd or even digit
        if cfg["arch"] in ("transformer", "gru"):
            x = x.reshape(-1, 8, 8)
        if leak:
            x = np.c_[x.reshape(len(x), -1), np.eye(cfg["classes"], dtype="float32")[y] * 5.0]
            cfg["arch"] = "mlp-1x64"
        xy = data.split(x, y, rng, batch=batch)
        k = cfg["classes"]
        model = models.classifier(cfg["arch"], k, xy[0].shape[1:], head=None)
        loss, metrics = keras.losses.SparseCategoricalCrossentropy(from_logits=True), ["accuracy"]
        run = Run(task="classification-binary" if k == 2 else "classification-multiclass", classes=k,
                  meta={**cfg, "majority": majority(xy[1]), "val_majority": majority(xy[3])})
        per_data_epoch = len(xy[0]) // batch
        total = per_data_epoch * (3 if per_data_epoch < 100 else int(pick(rng, [2, 3])))
    else:
        length = 32
        arch = arch or pick(rng, ["gru", "transformer"])
        (x_tr, y_tr, x_va, y_va), vocab, counts = data.char_windows(rng, length, 4096, 256)
        if repeated_text:  # targets = inputs, not shifted by one (a bug): the model only has to copy
            y_tr, y_va = x_tr, x_va
        xy = (x_tr, y_tr, x_va, y_va)
        model = models.char_lm(arch, vocab, length, width=64)
        loss, metrics = keras.losses.SparseCategoricalCrossentropy(from_logits=True), []
        run = Run(task="language-model", classes=vocab, meta={"arch": arch, "vocab": vocab, "batch": batch, "out_name": "out-docs-char"})
        per_data_epoch = len(x_tr) // batch
        total = int(pick(rng, [300, 400, 500]))
    interval = int(pick(rng, [50, 100])) if total >= 300 else 50
    total -= total % interval
    if callable(schedule) and not isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule):
        schedule = schedule(run, total)  # a schedule that depends on the run's length
    rate = schedule if schedule is not None else (lr or 1e-3)
    optimizer = models.optimizer(opt, lr=rate) if not isinstance(opt, keras.optimizers.Optimizer) else opt
    model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
    if family == "nanogpt":
        run.meta["initial"] = {"loss": float(model.evaluate(xy[0][:256], xy[1][:256], verbose=0, return_dict=True)["loss"]),
                               "val_loss": float(model.evaluate(xy[2], xy[3], verbose=0, return_dict=True)["loss"])}
    run.meta.update(family=family, opt=opt if isinstance(opt, str) else type(opt).__name__, lr_steps=lr_steps(rate, total),
                    steps_per_data_epoch=per_data_epoch)
    poison_step = int(poison * total) if poison else None
    run.meta["poison_step"] = poison_step
    fit_intervals(run, model, xy, total // interval, interval, batch, rng, poison_step=poison_step, poison_scale=poison_scale)
    return run


def healthy(seed, rng):
    return short_run(seed, rng, lr=float(pick(rng, [5e-4, 1e-3, 2e-3])), opt=pick(rng, ["adam", "adamw"]))


def nan_at_step(seed, rng):
    if seed % 2:  # a classifier fine-tune meets a corrupt record (NaN features) part-way: NaN from then on
        return short_run(seed, rng, lr=float(pick(rng, [1e-3, 2e-3])), opt="adam", poison=float(pick(rng, [0.3, 0.5, 0.7])))
    # a char LM whose learning rate grows every step (decay written as growth) until the logits overflow

    def schedule(run, total):
        return models.Growing(1e-3, 1e39 ** (1.0 / (float(pick(rng, [0.5, 0.7])) * total)))
    return short_run(seed, rng, schedule=schedule, opt="sgd", family="nanogpt", arch="transformer")


def spike_recovers(seed, rng):
    # An MLP classifier fine-tune (normalization layers would absorb it) meets one batch that missed the normalization (features x64 or x255, raw bytes):
    # that step's loss jumps, and training goes on. Logged every 1-2 steps (a 10-step mean would hide it).
    run = short_run(seed, rng, lr=float(pick(rng, [1e-3, 2e-3])), opt=pick(rng, ["adam", "adamw"]), family="hf",
                    poison=float(pick(rng, [0.5, 0.6, 0.7])), poison_scale=float(pick(rng, [64.0, 255.0])), archs=("mlp-1x64", "mlp-2x64", "mlp-2x32"))
    run.meta["spike_at"] = run.meta["poison_step"]
    return run


def recovered(run):
    """The spike must have happened and be over: the blown-up batch's loss at least 5x the median of the 20
    steps before it (per-step noise alone reaches about 3x), and the last 20 steps' median within 1.5x of
    that median. A model that shrugs off the bad batch shows nothing a log reader could be asked to find."""
    losses = [s["loss"] for s in run.steps]
    at = run.meta["spike_at"]
    before, end = np.median(losses[at - 20:at]), np.median(losses[-20:])
    peak = max(losses[at:at + 2])
    if not peak >= 5 * before:
        return f"no visible spike: loss {peak:.3f} at the bad batch (step {at}), median {before:.3f} before it"
    if not np.isfinite(end) or end > 1.5 * before:
        return f"no recovery: median loss {before:.3f} before step {at}, {end:.3f} at the end"
    return None


def diverging(seed, rng):
    return short_run(seed, rng, schedule=models.Growing(float(pick(rng, [1e-3, 3e-3])), float(pick(rng, [1.02, 1.03]))), opt="adam")


def zero_loss(seed, rng):
    if seed % 2:
        return short_run(seed, rng, lr=5e-2, leak=True, opt="adam", family="hf")
    return short_run(seed, rng, lr=5e-2, repeated_text=True, opt="adam", family="nanogpt", arch="gru")


SCENARIOS = [
    Scenario("step-healthy", "step", healthy, [], ["not-converged"], formats="step"),
    Scenario("step-nan-at-step", "step", nan_at_step, [["non-finite"]], ["diverging", "spike", "flat", "chance-level"], formats="step"),
    Scenario("step-spike-recovers", "step", spike_recovers, [["spike"]], ["not-converged"], formats="step", checks=recovered),
    Scenario("step-diverging", "step", diverging, [["diverging", "non-finite"]], ["spike", "oscillating", "chance-level", "flat"],
             formats="step"),
    Scenario("step-zero-loss", "step", zero_loss, [["zero", "leak-suspect"]], ["flat", "not-converged"], formats="step"),
]
