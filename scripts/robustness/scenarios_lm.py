"""Language-model scenarios: a character-level GRU/LSTM/causal-transformer on a small English text, token
cross-entropy, with token accuracy and perplexity logged. Healthy, NaN from a huge learning rate, stuck at the
unigram distribution (a blind model: accuracy frozen at the share of the most frequent character while the
loss falls a bit), diverging."""
import math

import keras
import numpy as np

import data
import models
from scenarios_common import Scenario, pick
from training import Perplexity, Run, fit


def train_lm(seed, rng, lr=None, blind=False, opt=None, epochs=None, clip=None, length=32):
    arch = pick(rng, ["gru", "lstm", "transformer"])
    batch = int(pick(rng, [32, 64]))
    n_train = int(pick(rng, [1024, 1536, 2048]))
    (x_tr, y_tr, x_va, y_va), vocab, counts = data.char_windows(rng, length, n_train - n_train % batch, 256)
    opt_name = opt or pick(rng, ["adam", "adamw", "rmsprop"])
    epochs = epochs or int(rng.integers(6, 12))
    if lr == "growing":  # a schedule that grows every step (decay written as growth): x1000 over the run
        lr = models.Growing(float(pick(rng, [1e-3, 2e-3])), 1000.0 ** (1.0 / (epochs * (len(x_tr) // batch))))
    optimizer = models.optimizer(opt_name, lr=lr if lr is not None else {"adam": 3e-3, "adamw": 3e-3, "rmsprop": 2e-3}.get(opt_name, 3e-3),
                                 clip=clip)
    model = models.char_lm(arch, vocab, length, width=int(pick(rng, [48, 64])), blind=blind)
    run = Run(task="language-model", classes=vocab,
              meta={"arch": arch, "opt": opt_name, "lr": lr if isinstance(lr, float) else None, "vocab": vocab,
                    "majority": float(counts.max()), "val_majority": float(np.bincount(y_va.ravel()).max() / y_va.size),
                    "unigram_entropy":
                    float(-(counts[counts > 0] * np.log(counts[counts > 0])).sum())})
    return fit(run, model, dict(optimizer=optimizer, loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                                metrics=["accuracy", Perplexity()]), (x_tr, y_tr, x_va, y_va), epochs, batch,
               verbose=1 + seed % 2)


def healthy(seed, rng):
    return train_lm(seed, rng, clip=1.0)


def nan_huge_lr(seed, rng):
    return train_lm(seed, rng, lr=float(pick(rng, [1e36, 1e37])), opt="sgd")  # logits overflow float32


def stuck_unigram(seed, rng):
    return train_lm(seed, rng, blind=True, lr=float(pick(rng, [5e-4, 1e-3])), opt="adam")


def diverging(seed, rng):
    return train_lm(seed, rng, lr="growing", opt=pick(rng, ["adam", "rmsprop"]))


def unigram_check(run):
    """The blind model's accuracy must sit at the most frequent character's share."""
    acc = [e["accuracy"] for e in run.epochs[1:]]
    if not acc or abs(np.mean(acc) - run.meta["majority"]) > 0.01:
        return f"accuracy {np.mean(acc):.3f} is not the top character's share {run.meta['majority']:.3f}"
    return None


SCENARIOS = [
    Scenario("lm-healthy", "language-model", healthy, [], ["not-converged"]),
    Scenario("lm-nan-huge-lr", "language-model", nan_huge_lr, [["non-finite"]],
             ["flat", "chance-level", "metric-mismatch", "diverging", "spike", "majority-class"]),
    Scenario("lm-stuck-unigram", "language-model", stuck_unigram, [["majority-class", "metric-mismatch", "flat"]],
             ["not-converged"], checks=unigram_check),
    Scenario("lm-diverging", "language-model", diverging, [["diverging", "non-finite"]],
             ["spike", "oscillating", "chance-level", "flat", "metric-mismatch", "majority-class"]),
]
