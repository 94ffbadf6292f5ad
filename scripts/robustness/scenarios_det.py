"""Detection-like scenarios: one digit on a 16x16 canvas; a conv net with box (4 coordinates), class and
objectness heads; box_loss, cls_loss, obj_loss and their total, with precision, recall, mAP@0.5 and mAP@0.5:0.95
on the validation set after each epoch."""
import keras
import numpy as np

import data
import models
from scenarios_common import Scenario, pick
from training import Run, fit

IOUS = np.arange(0.5, 0.96, 0.05)


def iou(a, b):
    x0, y0 = np.maximum(a[:, 0], b[:, 0]), np.maximum(a[:, 1], b[:, 1])
    x1, y1 = np.minimum(a[:, 2], b[:, 2]), np.minimum(a[:, 3], b[:, 3])
    inter = np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)
    area = lambda r: np.clip(r[:, 2] - r[:, 0], 0, None) * np.clip(r[:, 3] - r[:, 1], 0, None)
    return inter / np.maximum(area(a) + area(b) - inter, 1e-9)


def average_precision(scores, hits, positives):
    if positives == 0:
        return 0.0
    order = np.argsort(-scores)
    tp = np.cumsum(hits[order])
    precision = tp / np.arange(1, len(tp) + 1)
    recall = tp / positives
    envelope = np.maximum.accumulate(precision[::-1])[::-1]
    return float(np.sum(np.diff(np.r_[0.0, recall]) * envelope))


class DetectionMetrics(keras.callbacks.Callback):
    """Adds precision, recall, mAP50 and mAP50_95 (one detection per image) to each epoch's logs."""

    def __init__(self, x_va, y_va):
        super().__init__()
        self.x, self.y = x_va, y_va

    def on_epoch_end(self, epoch, logs=None):
        p = self.model.predict(self.x, verbose=0, batch_size=256)
        obj = 1 / (1 + np.exp(-np.clip(p["obj"][:, 0], -50, 50)))
        logits = p["cls"] - p["cls"].max(1, keepdims=True)
        probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
        score = np.nan_to_num(obj * probs.max(1))
        right_class = probs.argmax(1) == self.y["cls"]
        actual = self.y["obj"] > 0.5
        overlap = np.nan_to_num(iou(p["box"], self.y["box"]))
        hits50 = actual & right_class & (overlap >= 0.5)
        predicted = score > 0.25
        tp = np.sum(hits50 & predicted)
        logs["precision"] = float(tp / max(1, predicted.sum()))
        logs["recall"] = float(tp / max(1, actual.sum()))
        aps = [average_precision(score, actual & right_class & (overlap >= t), actual.sum()) for t in IOUS]
        logs["mAP50"], logs["mAP50_95"] = aps[0], float(np.mean(aps))


def train_detector(seed, rng, opt, epochs=None):
    classes = int(pick(rng, [3, 5, 10]))
    batch = int(pick(rng, [16, 32, 64]))
    x, y = data.boxes(rng, int(pick(rng, [800, 1000, 1200])), classes)
    order = rng.permutation(len(x))
    cut = int(0.8 * len(x))
    cut -= cut % batch
    tr, va = order[:cut], order[cut:]
    y_tr, y_va = ({k: v[tr] for k, v in y.items()}, {k: v[va] for k, v in y.items()})
    model = models.detector(classes, width=int(pick(rng, [8, 16])))
    rate = opt.learning_rate
    run = Run(task="detection", meta={"classes_in_data": classes, "lr": None if callable(rate) else float(np.asarray(rate))})
    box_weight = float(pick(rng, [5.0, 10.0]))
    return fit(run, model, dict(optimizer=opt, loss={"box": "mse", "cls": keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                                                    "obj": keras.losses.BinaryCrossentropy(from_logits=True)},
                                loss_weights={"box": box_weight, "cls": 1.0, "obj": 1.0}),
               (x[tr], y_tr, x[va], y_va), epochs or int(rng.integers(12, 21)), batch,
               callbacks=[DetectionMetrics(x[va], y_va)])


def healthy(seed, rng):
    name = pick(rng, ["adam", "adamw", "momentum"])
    return train_detector(seed, rng, models.optimizer(name, scale=float(pick(rng, [0.5, 1.0]))))


def diverging(seed, rng):
    # a learning-rate schedule that grows every step (decay written as growth)
    return train_detector(seed, rng, keras.optimizers.SGD(models.Growing(float(pick(rng, [0.01, 0.02])), float(
        pick(rng, [1.02, 1.03]))), momentum=0.9))


def nan_huge_lr(seed, rng):
    return train_detector(seed, rng, keras.optimizers.SGD(float(pick(rng, [1e35, 1e37])), momentum=0.9), epochs=int(rng.integers(10, 20)))


def mAP_rises(run):
    m = [e["mAP50"] for e in run.epochs]
    return None if max(m[-3:]) > max(0.2, m[0] + 0.1) else f"mAP50 only {m[0]:.2f} -> {max(m[-3:]):.2f}"


SCENARIOS = [
    Scenario("det-healthy", "detection", healthy, [], ["not-converged"], formats="detection", checks=mAP_rises),
    Scenario("det-diverging", "detection", diverging, [["diverging", "non-finite"]], ["spike", "oscillating", "flat"],
             formats="detection"),
    Scenario("det-nan-huge-lr", "detection", nan_huge_lr, [["non-finite"]], ["diverging", "spike", "flat"], formats="detection"),
]
