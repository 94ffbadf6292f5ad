#!/usr/bin/env python3
"""Generate a labeled corpus of small, real training runs for robustness checks of losslens.

It re-creates the scenarios of the shared labeled corpus (keras-*, torch-*, lightning-*, hf-*) with
other seeds and small variations (data size, epochs, learning rate x/÷2, batch size) and writes
their logs in the formats of that corpus:
  - keras-*:     console.log (Keras 3 `fit` output, verbose 1 or 2), history.json, training.csv (CSVLogger)
  - torch-*:     console.log in the print formats of the corpus' PyTorch loops
  - lightning-*: lightning/version_0/metrics.csv (CSVLogger layout)
  - hf-*:        trainer_state.json and console.log (Trainer's dict lines)
Every run really trains (Keras 3 on the JAX backend, tiny MLPs on scikit-learn's bundled digits /
breast-cancer data or synthetic data); the non-Keras formats are written from the same per-epoch and
per-batch values a PyTorch/Lightning/HF loop would log. Labels (`labels.json`, the schema of the shared
corpus) give each artifact the require/allow of its scenario, copied from the shared labels.
Runs whose pathology did not materialize with a seed (e.g. a "nan" run without a NaN) are skipped
and reported, so that no label is wrong.

Needs: Python 3.10+, `pip install keras jax jaxlib scikit-learn` (CPU only, ~700 MB).
Run:   KERAS_BACKEND=jax python3 scripts/robustness/generate_runs.py --out /tmp/robust-runs/corpus \
           --labels /work/shared/corpus/labeled/labels.json --seeds 2 3 4
       /work/shared/tools/score-corpus --bin .build/release/losslens /tmp/robust-runs/corpus --verbose
Takes a few minutes on 2 CPU cores. Do not commit the output (only small trimmed fixtures).
"""
import argparse
import contextlib
import datetime
import io
import json
import math
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402
from sklearn.datasets import load_breast_cancer, load_digits  # noqa: E402

from run_formats import (  # noqa: E402
    write_hf, write_lightning_csv, write_torch_console, TORCH_FORMATS,
)


# ---------------------------------------------------------------- data

def split(x, y, rng, val_fraction=0.2):
    order = rng.permutation(len(x))
    cut = int(len(x) * (1 - val_fraction))
    return x[order[:cut]], y[order[:cut]], x[order[cut:]], y[order[cut:]]


def digits(rng, subset=None, val_fraction=0.2):
    d = load_digits()
    x, y = d.data.astype("float32") / 16.0, d.target.astype("int32")
    if subset:
        keep = rng.permutation(len(x))[:subset]
        x, y = x[keep], y[keep]
    return split(x, y, rng, val_fraction)


def cancer(rng):
    d = load_breast_cancer()
    x = d.data.astype("float32")
    x = (x - x.mean(0)) / x.std(0)
    return split(x, d.target.astype("int32"), rng)


def noise(rng, n, dim, classes):
    x = rng.normal(size=(n, dim)).astype("float32")
    return split(x, rng.integers(0, classes, n).astype("int32"), rng)


def imbalanced(rng, n, positive_share):
    x = rng.normal(size=(n, 20)).astype("float32")
    y = (rng.random(n) < positive_share).astype("int32")
    return split(x, y, rng)


def regression(rng, n, scale):
    x = rng.normal(size=(n, 8)).astype("float32")
    w = rng.normal(size=8).astype("float32")
    y = (x @ w + 0.1 * rng.normal(size=n)).astype("float32")
    return split(x * scale, y * scale, rng)


# ---------------------------------------------------------------- models

def mlp(inputs, hidden, outputs, activation="relu", output_activation="softmax", depth=1):
    model = keras.Sequential([keras.Input((inputs,))])
    for _ in range(depth):
        model.add(layers.Dense(hidden, activation=activation))
    model.add(layers.Dense(outputs, activation=output_activation))
    return model


class Recorder(keras.callbacks.Callback):
    """Per-epoch logs and per-batch losses (Keras 3 reports running means; undone here)."""

    def __init__(self):
        super().__init__()
        self.epochs, self.batches = [], []

    def on_epoch_begin(self, epoch, logs=None):
        self.batches.append([])
        self._previous_mean = 0.0

    def on_train_batch_end(self, batch, logs=None):
        mean = float((logs or {}).get("loss", float("nan")))
        count = batch + 1
        self.batches[-1].append(count * mean - (count - 1) * self._previous_mean)
        self._previous_mean = mean

    def on_epoch_end(self, epoch, logs=None):
        self.epochs.append({k: float(v) for k, v in (logs or {}).items()})


# ---------------------------------------------------------------- scenarios
# Each returns (model, compile kwargs, data, fit kwargs). `v` is a per-seed RandomState of variations.

def lr(v, base):
    return base * v.choice([0.5, 1.0, 2.0])


def sc_healthy(v):
    return (mlp(64, 32, 10), dict(optimizer=keras.optimizers.Adam(lr(v, 1e-3)), loss="sparse_categorical_crossentropy",
            metrics=["accuracy"]), digits(v), dict(epochs=int(v.integers(20, 41)), batch_size=int(v.choice([32, 64]))))


def sc_healthy_binary(v):
    return (mlp(30, 16, 1, output_activation="sigmoid"), dict(optimizer=keras.optimizers.Adam(lr(v, 1e-3)),
            loss="binary_crossentropy", metrics=["accuracy"]), cancer(v), dict(epochs=int(v.integers(20, 41)), batch_size=32))


def sc_random_binary(v):
    return (mlp(20, 32, 1, output_activation="sigmoid"), dict(optimizer=keras.optimizers.Adam(lr(v, 5e-4)),
            loss="binary_crossentropy", metrics=["accuracy"]), noise(v, int(v.choice([800, 1000, 1200])), 20, 2),
            dict(epochs=int(v.integers(20, 31)), batch_size=32))


def sc_random_ten(v):
    return (mlp(20, 32, 10), dict(optimizer=keras.optimizers.Adam(lr(v, 5e-4)), loss="sparse_categorical_crossentropy",
            metrics=["accuracy"]), noise(v, int(v.choice([1600, 2000])), 20, 10), dict(epochs=int(v.integers(20, 31)), batch_size=32))


def sc_diverging_high_lr(v):
    return (mlp(64, 64, 10), dict(optimizer=keras.optimizers.SGD(v.choice([5.0, 10.0, 20.0])),
            loss="sparse_categorical_crossentropy", metrics=["accuracy"]), digits(v), dict(epochs=int(v.integers(20, 31)), batch_size=32))


def sc_flat_huge_inputs(v):
    x_tr, y_tr, x_va, y_va = noise(v, 1200, 20, 2)
    signal = (x_tr[:, 0] > 0).astype("int32"), (x_va[:, 0] > 0).astype("int32")
    scale = float(v.choice([1e5, 1e6]))
    return (mlp(20, 32, 1, output_activation="sigmoid"), dict(optimizer=keras.optimizers.Adam(lr(v, 1e-3)),
            loss="binary_crossentropy", metrics=["accuracy"]), (x_tr * scale, signal[0], x_va * scale, signal[1]),
            dict(epochs=int(v.integers(20, 31)), batch_size=32))


def sc_single_softmax_bce(v):
    return (mlp(30, 16, 1, output_activation="softmax"), dict(optimizer=keras.optimizers.Adam(lr(v, 1e-3)),
            loss="binary_crossentropy", metrics=["accuracy"]), cancer(v), dict(epochs=int(v.integers(20, 31)), batch_size=32))


def sc_imbalanced(v):
    return (mlp(20, 16, 1, output_activation="sigmoid"), dict(optimizer=keras.optimizers.Adam(lr(v, 5e-4)),
            loss="binary_crossentropy", metrics=["accuracy"]), imbalanced(v, 2000, float(v.choice([0.04, 0.05, 0.07]))),
            dict(epochs=int(v.integers(20, 31)), batch_size=32))


def sc_leak_label_feature(v):
    x_tr, y_tr, x_va, y_va = cancer(v)
    return (mlp(31, 16, 1, output_activation="sigmoid"), dict(optimizer=keras.optimizers.Adam(lr(v, 1e-3)),
            loss="binary_crossentropy", metrics=["accuracy"]),
            (np.c_[x_tr, (2 * y_tr - 1) * 5.0].astype("float32"), y_tr, np.c_[x_va, (2 * y_va - 1) * 5.0].astype("float32"), y_va),
            dict(epochs=int(v.integers(20, 31)), batch_size=32))


def sc_leak_val_is_train(v):
    x_tr, y_tr, _, _ = digits(v, subset=1000)
    pick = v.permutation(len(x_tr))[:200]
    return (mlp(64, 32, 10), dict(optimizer=keras.optimizers.Adam(lr(v, 1e-3)), loss="sparse_categorical_crossentropy",
            metrics=["accuracy"]), (x_tr, y_tr, x_tr[pick], y_tr[pick]), dict(epochs=int(v.integers(30, 51)), batch_size=32))


def sc_nan_high_lr(v):
    # Keras clips softmax probabilities, so a NaN needs logits that overflow: from_logits and a huge step.
    return (mlp(64, 64, 10, output_activation=None), dict(optimizer=keras.optimizers.SGD(float(v.choice([1e8, 1e9]))),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"]), digits(v),
            dict(epochs=20, batch_size=32))


def sc_exploding_logits(v):
    # A PyTorch-style head (raw logits into cross-entropy) with a huge step: the first epoch explodes, then the ReLUs are dead.
    return (mlp(64, 64, 10, output_activation=None), dict(optimizer=keras.optimizers.SGD(float(v.choice([30.0, 100.0]))),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"]), digits(v),
            dict(epochs=20, batch_size=32))


def sc_oscillating_momentum(v):
    return (mlp(30, 32, 1, output_activation="sigmoid"), dict(
            optimizer=keras.optimizers.SGD(float(v.choice([0.5, 1.0])), momentum=0.99),
            loss="binary_crossentropy", metrics=["accuracy"]), cancer(v), dict(epochs=int(v.integers(35, 46)), batch_size=32))


def sc_overfitting(v):
    return (mlp(64, 256, 10), dict(optimizer=keras.optimizers.Adam(lr(v, 2e-3)), loss="sparse_categorical_crossentropy",
            metrics=["accuracy"]), digits(v, subset=int(v.choice([260, 300, 340])), val_fraction=0.5),
            dict(epochs=int(v.integers(60, 81)), batch_size=16))


def sc_stagnant(v):
    return (mlp(64, 32, 10), dict(optimizer=keras.optimizers.SGD(float(v.choice([1e-6, 2e-6, 5e-7]))),
            loss="sparse_categorical_crossentropy", metrics=["accuracy"]), digits(v), dict(epochs=int(v.integers(15, 26)), batch_size=32))


def sc_vanishing(v):
    return (mlp(64, 32, 10, activation="sigmoid", depth=int(v.choice([8, 10]))), dict(
            optimizer=keras.optimizers.SGD(lr(v, 1e-2)), loss="sparse_categorical_crossentropy", metrics=["accuracy"]),
            digits(v), dict(epochs=int(v.integers(15, 26)), batch_size=32))


def sc_zero_accuracy_regression(v):
    return (mlp(8, 32, 1, output_activation=None), dict(optimizer=keras.optimizers.Adam(lr(v, 1e-2)), loss="mse",
            metrics=["accuracy"]), regression(v, 1000, 3.0), dict(epochs=int(v.integers(20, 31)), batch_size=32))


def sc_zero_loss_single_softmax(v):
    return (mlp(30, 16, 1, output_activation="softmax"), dict(optimizer=keras.optimizers.Adam(lr(v, 1e-3)),
            loss="categorical_crossentropy", metrics=["accuracy"]), cancer(v), dict(epochs=int(v.integers(15, 26)), batch_size=32))


def sc_dying_relu(v):
    return (mlp(64, 64, 10, depth=2), dict(optimizer=keras.optimizers.SGD(float(v.choice([1.0, 2.0]))),
            loss="sparse_categorical_crossentropy", metrics=["accuracy"]), digits(v), dict(epochs=20, batch_size=32))


def sc_oscillating_adam(v):
    return (mlp(30, 32, 1, output_activation="sigmoid"), dict(optimizer=keras.optimizers.Adam(float(v.choice([0.3, 0.5]))),
            loss="binary_crossentropy", metrics=["accuracy"]), cancer(v), dict(epochs=40, batch_size=32))


def sc_diverging_regression(v):
    # A linear model with full-batch steps just above the stability limit 2/λ grows geometrically (no NaN within 15 epochs).
    return (mlp(8, 0, 1, output_activation=None, depth=0), dict(optimizer=keras.optimizers.SGD(float(v.choice([2e-3, 2.5e-3]))),
            loss="mse"), regression(v, 1000, 30.0), dict(epochs=15, batch_size=800))


def sc_unnormalized_regression(v):
    x_tr, y_tr, x_va, y_va = regression(v, 1000, 1.0)
    scale = float(v.choice([800.0, 1200.0]))
    return (mlp(8, 16, 1, output_activation=None), dict(optimizer=keras.optimizers.Adam(lr(v, 2e-2)), loss="mse"),
            (x_tr, y_tr * scale / 3 + scale, x_va, y_va * scale / 3 + scale), dict(epochs=int(v.integers(60, 101)), batch_size=64))


def sc_zero_loss_single_logit(v):
    return (mlp(30, 16, 1, output_activation=None), dict(
            optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"]), cancer(v), dict(epochs=20, batch_size=32))


def sc_too_short(v):
    return (mlp(30, 16, 1, output_activation="sigmoid"), dict(optimizer=keras.optimizers.Adam(1e-2), loss="binary_crossentropy",
            metrics=["accuracy"]), cancer(v), dict(epochs=int(v.choice([2, 3, 4])), batch_size=32))


# ---------------------------------------------------------------- sanity checks (did the pathology happen?)

def values(rec, key):
    return [e.get(key, float("nan")) for e in rec.epochs]


def has_nan(rec):
    return any(not math.isfinite(x) for e in rec.epochs for x in e.values())


def rises(rec, key, factor):
    xs = [x for x in values(rec, key) if math.isfinite(x)]
    return len(xs) > 3 and max(xs[len(xs) // 2:]) >= factor * min(xs)


def overfits(rec):
    vl = values(rec, "val_loss")
    best = int(np.argmin(vl))
    return best < len(vl) - 5 and np.median(vl[-5:]) > 1.1 * vl[best]


CHECKS = {
    "nan": has_nan,
    "no-nan": lambda r: not has_nan(r),
    "overfits": overfits,
    "val-perfect-early": lambda r: max(values(r, "val_accuracy")[:5]) >= 0.995,
    "train-near-chance-10": lambda r: values(r, "val_accuracy")[-1] < 0.2,
    "diverges": lambda r: rises(r, "loss", 3.0) or has_nan(r),
    "frozen-accuracy": lambda r: len(set(round(x, 4) for x in values(r, "accuracy")[1:])) <= 2,
    "zero-loss": lambda r: all(abs(x) < 1e-4 for x in values(r, "loss")),
    "majority": lambda r: np.ptp(values(r, "accuracy")[-5:]) <= 0.002,
    "moving": lambda r: np.ptp(values(r, "loss")[len(r.epochs) // 2:]) > 0.2 * np.median(values(r, "loss")),
    "still-falling": lambda r: values(r, "loss")[-1] < 0.7 * values(r, "loss")[0]
                               and values(r, "loss")[-1] < 0.97 * values(r, "loss")[-6],
    "first-epoch-explodes": lambda r: values(r, "loss")[0] > 10 * np.median(values(r, "loss")[1:]),
}

# name, builder, family, format/extra, required check(s)
SCENARIOS = [
    ("keras-healthy", sc_healthy, "keras", None, ["no-nan"]),
    ("keras-healthy-binary", sc_healthy_binary, "keras", None, ["no-nan"]),
    ("keras-chance-random-labels", sc_random_binary, "keras", None, []),
    ("keras-chance-random-labels-10", sc_random_ten, "keras", None, []),
    ("keras-diverging-high-lr", sc_diverging_high_lr, "keras", None, ["no-nan", "train-near-chance-10"]),
    ("keras-flat-huge-inputs", sc_flat_huge_inputs, "keras", None, ["no-nan"]),
    ("keras-flat-single-softmax-bce", sc_single_softmax_bce, "keras", None, ["frozen-accuracy"]),
    ("keras-imbalanced-majority", sc_imbalanced, "keras", None, ["majority"]),
    ("keras-leak-label-feature", sc_leak_label_feature, "keras", None, ["val-perfect-early"]),
    ("keras-leak-val-is-train", sc_leak_val_is_train, "keras", None, []),
    ("keras-nan-high-lr", sc_nan_high_lr, "keras", None, ["nan"]),
    ("keras-oscillating-momentum", sc_oscillating_momentum, "keras", None, ["diverges"]),
    ("keras-overfitting", sc_overfitting, "keras", None, ["overfits"]),
    ("keras-stagnant-tiny-lr", sc_stagnant, "keras", None, []),
    ("keras-vanishing-deep-sigmoid", sc_vanishing, "keras", None, ["train-near-chance-10"]),
    ("keras-zero-accuracy-regression", sc_zero_accuracy_regression, "keras", None, []),
    ("keras-zero-loss-single-softmax", sc_zero_loss_single_softmax, "keras", None, ["zero-loss"]),
    ("torch-healthy", sc_healthy, "torch", "bracket", ["no-nan"]),
    ("torch-healthy-binary", sc_healthy_binary, "torch", "pipe", ["no-nan"]),
    ("torch-chance-random-labels-10", sc_random_ten, "torch", "mnist", []),
    ("torch-diverging-lr", sc_diverging_regression, "torch", "pipe-loss", ["no-nan", "diverges"]),
    ("torch-dying-relu", sc_dying_relu, "torch", "bracket", ["no-nan", "train-near-chance-10"]),
    ("torch-imbalanced-majority", sc_imbalanced, "torch", "epoch-comma", []),
    ("torch-leak-val-is-train", sc_leak_val_is_train, "torch", "tqdm", []),
    ("torch-nan-high-lr", sc_exploding_logits, "torch", "bracket", ["no-nan", "train-near-chance-10", "first-epoch-explodes"]),
    ("torch-oscillating-lr1-adam", sc_oscillating_adam, "torch", "epoch-colon", ["no-nan", "moving"]),
    ("torch-overfitting", sc_overfitting, "torch", "logging", ["overfits"]),
    ("torch-stagnant-tiny-lr", sc_stagnant, "torch", "pipe", []),
    ("torch-too-short", sc_too_short, "torch", "epoch-colon", []),
    ("torch-unnormalized-regression", sc_unnormalized_regression, "torch", "epoch-comma", ["still-falling"]),
    ("torch-zero-loss-ce-single-logit", sc_zero_loss_single_logit, "torch", "tqdm", ["zero-loss"]),
    ("lightning-healthy", sc_healthy, "lightning", None, ["no-nan"]),
    ("lightning-random-labels", sc_random_ten, "lightning", None, []),
    ("lightning-stagnant", sc_stagnant, "lightning", None, []),
    ("lightning-diverging", sc_diverging_high_lr, "lightning", None, ["no-nan", "train-near-chance-10"]),
    ("hf-healthy", sc_healthy_binary, "hf", None, ["no-nan"]),
    ("hf-random-labels", sc_random_binary, "hf", None, []),
    ("hf-diverging", sc_oscillating_adam, "hf", None, ["moving"]),
    ("hf-leak-marker", sc_leak_label_feature, "hf", None, ["val-perfect-early"]),
]

CRASHES = ["torch-crash-bce-no-sigmoid", "torch-crash-label-off-by-one"]


def train(builder, seed):
    keras.utils.set_random_seed(seed)
    v = np.random.default_rng(seed)
    model, compile_args, (x_tr, y_tr, x_va, y_va), fit_args = builder(v)
    model.compile(**compile_args)
    return model, (x_tr, y_tr, x_va, y_va), fit_args


def run_keras(name, builder, seed, out_dir):
    model, (x_tr, y_tr, x_va, y_va), fit_args = train(builder, seed)
    recorder = Recorder()
    os.makedirs(out_dir, exist_ok=True)
    csv = keras.callbacks.CSVLogger(os.path.join(out_dir, "training.csv"))
    console = io.StringIO()
    verbose = 1 if seed % 2 == 0 else 2
    with contextlib.redirect_stdout(console):
        history = model.fit(x_tr, y_tr, validation_data=(x_va, y_va), callbacks=[recorder, csv], verbose=verbose, **fit_args)
    with open(os.path.join(out_dir, "console.log"), "w") as f:
        f.write(console.getvalue())
    with open(os.path.join(out_dir, "history.json"), "w") as f:
        json.dump({k: [float(x) for x in v] for k, v in history.history.items()}, f)
    return recorder, ["console.log", "history.json", "training.csv"], {"console.log": "keras-stdout",
            "history.json": "keras-history-json", "training.csv": "keras-csv"}


def run_silent(builder, seed, epochs=None):
    model, (x_tr, y_tr, x_va, y_va), fit_args = train(builder, seed)
    if epochs:
        fit_args["epochs"] = epochs
    recorder = Recorder()
    model.fit(x_tr, y_tr, validation_data=(x_va, y_va), callbacks=[recorder], verbose=0, **fit_args)
    return recorder, len(x_tr), len(x_va), fit_args


def crash_log(name, seed, out_dir):
    rng = np.random.default_rng(seed)
    lines = []
    for epoch in range(int(rng.integers(0, 3))):
        lines.append(f"Epoch [{epoch + 1}/20], Loss: {0.7 - 0.05 * epoch:.4f}, Acc: {55 + 3 * epoch:.2f}%, "
                     f"Val Loss: {0.68 - 0.05 * epoch:.4f}, Val Acc: {57 + 3 * epoch:.2f}%")
    if name.endswith("bce-no-sigmoid"):
        call, error = ("F.binary_cross_entropy(", "RuntimeError: all elements of input should be between 0 and 1")
    else:
        call, error = ("F.cross_entropy(", f"IndexError: Target {int(rng.integers(2, 10))} is out of bounds.")
    lines += [
        "Traceback (most recent call last):",
        f'  File "/home/user/train/train_{seed}.py", line {int(rng.integers(60, 200))}, in <module>',
        "    loss = loss_fn(out, target(yb))",
        '  File "/home/user/venv/lib/python3.11/site-packages/torch/nn/modules/module.py", line 1787, in _wrapped_call_impl',
        "    return self._call_impl(*args, **kwargs)",
        '  File "/home/user/venv/lib/python3.11/site-packages/torch/nn/modules/loss.py", line 714, in forward',
        f"    return {call}",
        error,
    ]
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "console.log"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--labels", required=True, help="labels.json of the shared labeled corpus (require/allow per scenario)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[2, 3, 4])
    parser.add_argument("--only", nargs="*", help="scenario names to run (default: all)")
    args = parser.parse_args()

    shared = {}
    for artifact in json.load(open(args.labels))["artifacts"]:
        scenario = artifact["path"].split("/")[0].rsplit("-s", 1)[0]
        shared.setdefault(scenario, (artifact["require"], artifact["allow"]))

    labels, skipped, attempted = [], [], set()
    for seed in args.seeds:
        for name in CRASHES:
            if args.only and name not in args.only:
                continue
            run_dir = f"{name}-s{seed}"
            attempted.add(run_dir)
            crash_log(name, seed, os.path.join(args.out, run_dir))
            require, allow = shared[name]
            labels.append({"path": f"{run_dir}/console.log", "format": "pytorch-stdout", "require": require, "allow": allow})
        for name, builder, family, fmt, checks in SCENARIOS:
            if args.only and name not in args.only:
                continue
            run_dir = f"{name}-s{seed}"
            attempted.add(run_dir)
            out_dir = os.path.join(args.out, run_dir)
            if family == "keras":
                recorder, files, formats = run_keras(name, builder, seed, out_dir)
            else:
                # The corpus' HF Trainer runs are short (num_train_epochs=8).
                recorder, n_train, n_val, fit_args = run_silent(builder, seed, 8 + seed % 5 if family == "hf" else None)
                os.makedirs(out_dir, exist_ok=True)
                if family == "torch":
                    write_torch_console(out_dir, fmt, recorder, n_train, n_val, fit_args, seed)
                    files, formats = ["console.log"], {"console.log": "pytorch-stdout"}
                elif family == "lightning":
                    write_lightning_csv(out_dir, recorder)
                    files, formats = ["lightning/version_0/metrics.csv"], {"lightning/version_0/metrics.csv": "lightning-csv"}
                else:
                    write_hf(out_dir, recorder, fit_args)
                    files, formats = ["console.log", "trainer_state.json"], {
                        "console.log": "hf-trainer-stdout", "trainer_state.json": "hf-trainer-state"}
            failed = [c for c in checks if not CHECKS[c](recorder)]
            if failed:
                skipped.append(f"{run_dir}: {', '.join(failed)} not met")
                continue
            require, allow = shared[name]
            for file in files:
                labels.append({"path": f"{run_dir}/{file}", "format": formats[file], "require": require, "allow": allow})
            print(f"{run_dir}: {len(recorder.epochs)} epochs", file=sys.stderr, flush=True)
    # Re-running some scenarios keeps the labels of the others.
    labels_path = os.path.join(args.out, "labels.json")
    if os.path.exists(labels_path):
        kept = [a for a in json.load(open(labels_path))["artifacts"] if a["path"].split("/")[0] not in attempted]
        labels = kept + labels
    with open(labels_path, "w") as f:
        json.dump({"artifacts": labels}, f, indent=1)
    print(f"{len(labels)} artifacts labeled; skipped {len(skipped)} runs:", file=sys.stderr)
    for line in skipped:
        print("  " + line, file=sys.stderr)


if __name__ == "__main__":
    main()
