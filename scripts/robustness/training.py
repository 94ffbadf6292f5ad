"""Training with Keras 3 and recording what a log would show: per-epoch logs and per-batch values."""
import contextlib
import io
import math
from dataclasses import dataclass, field

import keras
import numpy as np


@dataclass
class Run:
    """What one training produced. epochs: per-epoch logs (Keras keys: loss, accuracy, val_loss, ...);
    steps: per-batch values (the batch's own value, not Keras' running mean); meta: the configuration."""
    task: str
    classes: int = None
    epochs: list = field(default_factory=list)
    steps: list = field(default_factory=list)
    steps_per_epoch: int = 0
    console: str = ""          # Keras' own fit() output, when it was captured
    meta: dict = field(default_factory=dict)


class Recorder(keras.callbacks.Callback):
    """Per-epoch logs and per-batch values (Keras 3 reports running means within an epoch; undone here)."""

    def __init__(self, run):
        super().__init__()
        self.run = run

    def on_epoch_begin(self, epoch, logs=None):
        self._previous, self._count = {}, 0

    def on_train_batch_end(self, batch, logs=None):
        self._count += 1
        n, values = self._count, {}
        for key, mean in (logs or {}).items():
            mean = float(mean)
            value = n * mean - (n - 1) * self._previous.get(key, 0.0) if math.isfinite(mean) else mean
            if mean >= 0 and (value < 0 or (value == 0 and mean > 1e3)):
                value = mean  # the undoing cancelled out (huge values): keep the running mean
            values[key] = value
            self._previous[key] = mean if math.isfinite(mean) else 0.0
        self.run.steps.append(values)

    def on_epoch_end(self, epoch, logs=None):
        self.run.epochs.append({k: float(v) for k, v in (logs or {}).items()})
        self.run.steps_per_epoch = self._count


class Perplexity(keras.metrics.Mean):
    """exp of the mean token cross-entropy (from logits)."""

    def __init__(self, name="perplexity", **kw):
        super().__init__(name=name, **kw)

    def update_state(self, y_true, y_pred, sample_weight=None):
        ce = keras.losses.sparse_categorical_crossentropy(y_true, y_pred, from_logits=True)
        return super().update_state(ce, sample_weight)

    def result(self):
        return keras.ops.exp(super().result())


def fit(run, model, compile_args, data, epochs, batch_size, verbose=0, callbacks=(), **kw):
    """Compile and fit, recording into `run`; with verbose 1 or 2 Keras' console output is kept in run.console."""
    x_tr, y_tr, x_va, y_va = data
    if compile_args is not None:
        model.compile(**compile_args)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        model.fit(x_tr, y_tr, validation_data=(x_va, y_va), epochs=epochs, batch_size=batch_size,
                  callbacks=[*callbacks, Recorder(run)], verbose=verbose, shuffle=True, **kw)
    run.console = out.getvalue()
    schedule = getattr(model.optimizer, "_learning_rate", None)
    if isinstance(schedule, keras.optimizers.schedules.LearningRateSchedule) and "lr_steps" not in run.meta:
        run.meta["lr_steps"] = [float(schedule(np.float32(i))) for i in range(len(run.steps))]
    elif "lr_steps" not in run.meta:
        run.meta.setdefault("lr", float(np.asarray(model.optimizer.learning_rate)))
    run.meta.update(n_train=int(len(x_tr) if not isinstance(x_tr, dict) else len(next(iter(x_tr.values())))),
                    n_val=int(len(x_va) if not isinstance(x_va, dict) else len(next(iter(x_va.values())))),
                    batch_size=batch_size, epochs=epochs)
    return run


def fit_intervals(run, model, data, intervals, interval, batch_size, rng, poison_step=None, poison_scale=None):
    """Train `intervals` x `interval` steps, evaluating after each interval (run.epochs are the evaluations).
    The batches walk through reshuffled passes over the training data, as a data loader does.
    poison_step: that step's batch gets one record of NaN features (a corrupt row in the data), or, with
    poison_scale, all its features multiplied by it (a batch that missed the normalization)."""
    x_tr, y_tr, x_va, y_va = data
    need = intervals * interval * batch_size
    order = np.concatenate([rng.permutation(len(x_tr)) for _ in range(need // len(x_tr) + 1)])[:need]
    recorder = Recorder(run)
    for i in range(intervals):
        pick = order[i * interval * batch_size:(i + 1) * interval * batch_size]
        x = x_tr[pick]
        if poison_step is not None and i * interval <= poison_step < (i + 1) * interval:
            x = x.copy()
            row = (poison_step - i * interval) * batch_size
            if poison_scale:
                x[row:row + batch_size] *= poison_scale
            else:
                x[row] = np.nan
        model.fit(x, y_tr[pick], validation_data=(x_va, y_va), epochs=1, batch_size=batch_size,
                  callbacks=[recorder], verbose=0, shuffle=False)
    run.steps_per_epoch = interval
    run.meta.update(n_train=int(len(x_tr)), n_val=int(len(x_va)), batch_size=batch_size, epochs=intervals)
    return run


def lr_at(run, step):
    """The learning rate at a (1-based) step."""
    steps = run.meta.get("lr_steps")
    return steps[min(step, len(steps)) - 1] if steps else (run.meta.get("lr") or 1e-3)


def seed_everything(seed, stream=0):
    """Seeds Keras/JAX and returns the numpy Generator of (seed, stream): one stream per scenario."""
    keras.utils.set_random_seed((seed * 7919 + stream) % (2 ** 31))
    return np.random.default_rng([seed, stream])
