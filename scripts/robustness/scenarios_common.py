"""What the scenario modules share: the Scenario record, sampling of a configuration, training a Keras
classifier/regressor into a Run, and the choice of log formats for a run."""
import datetime
from dataclasses import dataclass, field

import numpy as np

import data
import formats_epoch as fe
import formats_step as fs
import models
from training import Run, fit


@dataclass
class Scenario:
    name: str
    task: str                  # classification / regression / language-model / detection / gan (see labeling guide)
    train: callable            # (seed, rng) -> Run
    require: list = field(default_factory=list)
    allow: list = field(default_factory=list)
    formats: str = "epoch"     # which writers fit: epoch (any per-epoch writer), epoch-only, step, lm, detection, gan
    checks: callable = None    # optional (run) -> reason string when the run is unusable, else None


def pick(rng, options):
    return options[int(rng.integers(len(options)))]


def cls_task(k):
    return "classification-binary" if k == 2 else "classification-multiclass"


def sample_config(rng, classes=None, archs=None, opts=None):
    """A classification configuration: K, architecture, optimizer, learning-rate factor, batch size, epochs."""
    k = classes or pick(rng, [2, 3, 5, 10, 100])
    if k in (5, 10):
        arch = pick(rng, archs or ["mlp-1x32", "mlp-2x64", "mlp-3x32", "mlp-1x128", "cnn", "gru", "lstm", "transformer"])
    else:
        arch = pick(rng, [a for a in (archs or ["mlp-1x16", "mlp-1x32", "mlp-2x32", "mlp-2x64", "mlp-3x16"]) if a.startswith("mlp")]
                    or ["mlp-1x32"])
    return {"classes": k, "arch": arch, "opt": pick(rng, opts or list(models.OPTIMIZERS)),
            "lr_factor": float(pick(rng, [0.5, 1.0, 2.0])), "batch": int(pick(rng, [16, 32, 64, 128])),
            "epochs": int(rng.integers(10, 26))}


def shape_of(arch):
    return "image" if arch == "cnn" else "sequence" if arch in ("gru", "lstm", "transformer") else "flat"


def dataset(rng, cfg, n=None, val_fraction=0.2):
    x, y = data.classification(rng, cfg["classes"], shape_of(cfg["arch"]), n=n or (60 * cfg["classes"] if cfg["classes"] == 100 else None))
    return data.split(x, y, rng, val_fraction, batch=cfg["batch"])


def majority(y):
    counts = np.bincount(np.asarray(y).ravel())
    return float(counts.max() / counts.sum())


def train_classifier(seed, rng, cfg, xy, head="softmax", loss=None, optimizer=None, verbose=None, **model_kw):
    """Fit a classifier; the Run gets K, the class shares and the configuration in meta."""
    x_tr, y_tr, x_va, y_va = xy
    k = cfg["classes"]
    binary = k == 2 and head == "sigmoid"
    single = model_kw.pop("single_unit", False)  # a 1-unit head (a bug for softmax)
    model = models.classifier(cfg["arch"], 1 if binary or single else k, x_tr.shape[1:], head=head, **model_kw)
    opt = optimizer or models.optimizer(cfg["opt"], scale=cfg["lr_factor"])
    loss = loss or ("binary_crossentropy" if binary else "sparse_categorical_crossentropy")
    run = Run(task=cls_task(k), classes=k, meta={**cfg, "lr": float(np.asarray(opt.learning_rate)) if not callable(
        opt.learning_rate) else None, "majority": majority(y_tr), "val_majority": majority(y_va)})
    return fit(run, model, dict(optimizer=opt, loss=loss, metrics=["accuracy"]), xy, cfg["epochs"], cfg["batch"],
               verbose=verbose if verbose is not None else 1 + seed % 2)


def train_regressor(seed, rng, cfg, xy, optimizer=None, metrics=("mae",)):
    x_tr, y_tr, x_va, y_va = xy
    depth, width = (int(v) for v in cfg["arch"][4:].split("x"))
    model = models.mlp(x_tr.shape[1], 1, width, depth, head=None)
    opt = optimizer or models.optimizer(cfg["opt"], scale=cfg["lr_factor"])
    run = Run(task="regression", meta={**cfg, "lr": float(np.asarray(opt.learning_rate)), "metric": metrics[0]})
    return fit(run, model, dict(optimizer=opt, loss="mse", metrics=list(metrics)), xy, cfg["epochs"], cfg["batch"],
               verbose=1 + seed % 2)


# ---------------------------------------------------------------- formats

EPOCH_WRITERS = ["keras", "torch", "torch", "lightning", "hf"]


def write_formats(kind, out_dir, run, rng, seed):
    """Write the run in one family of formats (chosen by seed, so each family appears across seeds)."""
    run.meta.setdefault("stamp", (datetime.datetime(2026, 5, 4, 10, 0) + datetime.timedelta(hours=seed)).strftime(
        "%Y/%m/%d %H:%M:%S"))
    if kind in ("epoch", "epoch-only"):
        options = EPOCH_WRITERS if kind == "epoch" else ["keras", "torch"]
        family = options[int(rng.integers(len(options)))]
        if family == "keras":
            return fe.keras_files(out_dir, run, rng)
        if family == "torch":
            styles = fe.TORCH_STYLES if kind == "epoch" else ["bracket", "pipe", "pipe-loss", "epoch-comma", "logging"]
            return fe.torch_console(out_dir, run, rng, pick(rng, styles))
        if family == "lightning":
            return fe.lightning_csv(out_dir, run, rng)
        return fs.hf_trainer(out_dir, run, rng)
    raise ValueError(kind)
