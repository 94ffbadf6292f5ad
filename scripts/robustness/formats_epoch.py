"""Writers for per-epoch logs: Keras (console, history.json, CSVLogger), PyTorch-loop prints, Lightning metrics.csv.

A writer takes the output folder, a `training.Run` and a numpy Generator, writes its file(s) and returns
a list of `Artifact`s: the file, its format id, its granularity, and the series it shows as printed
(parsed back; `checks.py` judges those).
"""
import datetime
import json
import math
import os
from dataclasses import dataclass


@dataclass
class Artifact:
    path: str
    format: str
    granularity: str
    shown: dict


def shown_value(text):
    return float(text)  # float("nan"), float("inf") parse too


def metric_key(run):
    """The per-sample metric next to the loss: accuracy (classification, LM) or mae (regression)."""
    return run.meta.get("metric") or ("mae" if run.task == "regression" else "accuracy")


def epoch_series(run, key):
    return [e.get(key, float("nan")) for e in run.epochs]


def keras_shown(run):
    m = metric_key(run)
    s = {"loss": epoch_series(run, "loss"), "val_loss": epoch_series(run, "val_loss")}
    if m == "accuracy" and "accuracy" in run.epochs[0]:
        s["acc"], s["val_acc"] = epoch_series(run, "accuracy"), epoch_series(run, "val_accuracy")
    for k in run.epochs[0]:
        if k.endswith("_loss") and k not in ("val_loss",) and not k.startswith("val_"):
            s["loss:" + k[:-5]] = epoch_series(run, k)
            s["val_loss:" + k[:-5]] = epoch_series(run, "val_" + k)
    return s


def write(out_dir, name, text):
    path = os.path.join(out_dir, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def keras_files(out_dir, run, rng, which=("console.log", "history.json", "training.csv")):
    """Keras' own fit() output (captured), json.dump(history.history), and a CSVLogger file."""
    arts, shown = [], keras_shown(run)
    keys = list(run.epochs[0].keys())
    if "console.log" in which:
        write(out_dir, "console.log", run.console)
        arts.append(Artifact("console.log", "keras-console", "epoch", shown))
    if "history.json" in which:
        write(out_dir, "history.json", json.dumps({k: epoch_series(run, k) for k in keys}))
        arts.append(Artifact("history.json", "keras-history-json", "epoch", shown))
    if "training.csv" in which:
        rows = [",".join(["epoch"] + sorted(keys))]
        rows += [",".join([str(i)] + [repr(e[k]) for k in sorted(keys)]) for i, e in enumerate(run.epochs)]
        write(out_dir, "training.csv", "\n".join(rows) + "\n")
        arts.append(Artifact("training.csv", "keras-csvlogger", "epoch", shown))
    return arts


TORCH_STYLES = ["bracket", "pipe", "pipe-loss", "epoch-comma", "logging", "mnist", "tqdm"]


def torch_console(out_dir, run, rng, style):
    """The print() lines of a hand-written PyTorch loop, in one of TORCH_STYLES."""
    m = metric_key(run)
    short = "acc" if m == "accuracy" else "mae"
    n_ep, lines = len(run.epochs), []
    shown = {"loss": [], "val_loss": []}
    if style in ("bracket", "pipe", "logging", "mnist", "tqdm"):
        shown["val_" + short] = []
    if style in ("bracket", "pipe"):
        shown[short] = []
    if style in ("mnist", "tqdm"):
        shown = {"step:loss": [], "val_loss": [], "val_" + short: []}
    if style == "epoch-comma":
        shown = {"loss": []}
    start = datetime.datetime(2026, 3, 2, 9, 14, 5) + datetime.timedelta(minutes=int(rng.integers(600)))
    pct = m == "accuracy" and rng.random() < 0.5
    per_epoch = run.steps_per_epoch
    for i, e in enumerate(run.epochs, 1):
        loss, val_loss = e.get("loss", math.nan), e.get("val_loss", math.nan)
        met, val_met = e.get(m, math.nan), e.get("val_" + m, math.nan)

        def metric_text(x):
            return f"{100 * x:.2f}%" if pct else f"{x:.4f}"

        def metric_back(text):
            return float(text.rstrip("%")) / 100 if text.endswith("%") else float(text)
        if style == "bracket":
            lt, vt, at, vat = f"{loss:.4f}", f"{val_loss:.4f}", metric_text(met), metric_text(val_met)
            lines.append(f"Epoch [{i}/{n_ep}], Loss: {lt}, {short.title()}: {at}, Val Loss: {vt}, Val {short.title()}: {vat}")
            shown[short].append(metric_back(at))
            shown["val_" + short].append(metric_back(vat))
        elif style == "pipe":
            lt, vt, at, vat = f"{loss:.5f}", f"{val_loss:.5f}", f"{met:.4f}", f"{val_met:.4f}"
            lines.append(f"epoch {i:3d} | train_loss {lt} | train_{short} {at} | val_loss {vt} | val_{short} {vat}")
            shown[short].append(float(at))
            shown["val_" + short].append(float(vat))
        elif style == "pipe-loss":
            lt, vt = f"{loss:.5f}", f"{val_loss:.5f}"
            lines.append(f"epoch {i:3d} | train_loss {lt} | val_loss {vt}")
        elif style == "epoch-comma":
            lt = repr(float(loss))
            lines.append(f"Epoch {i}, Loss: {lt}")
        elif style == "logging":
            stamp = start + datetime.timedelta(seconds=3 * i, milliseconds=int(rng.integers(1000)))
            lt, vt, vat = f"{loss:.4f}", f"{val_loss:.4f}", f"{val_met:.4f}"
            lines.append(f"{stamp:%Y-%m-%d %H:%M:%S},{stamp.microsecond // 1000:03d} - train - INFO - Epoch {i}/{n_ep} - "
                         f"loss={lt} - val_loss={vt} - val_{short}={vat}")
            shown["val_" + short].append(float(vat))
        elif style == "mnist":
            batches = run.steps[(i - 1) * per_epoch:i * per_epoch]
            interval = max(1, len(batches) // 5)
            for b in range(0, len(batches), interval):
                text = f"{batches[b]['loss']:.6f}"
                lines.append(f"Train Epoch: {i} [{b * run.meta['batch_size']}/{run.meta['n_train']} "
                             f"({100.0 * b / len(batches):.0f}%)]\tLoss: {text}")
                shown["step:loss"].append(float(text))
            n_val = run.meta["n_val"]
            if m == "accuracy":
                correct = int(round(val_met * n_val)) if math.isfinite(val_met) else 0
                lt = f"{val_loss:.4f}"
                lines += ["", f"Test set: Average loss: {lt}, Accuracy: {correct}/{n_val} ({100.0 * correct / n_val:.0f}%)", ""]
                shown["val_acc"].append(correct / n_val)
            else:
                lt = f"{val_loss:.4f}"
                lines += ["", f"Test set: Average loss: {lt}, MAE: {val_met:.4f}", ""]
                shown["val_mae"].append(float(f"{val_met:.4f}"))
            shown["val_loss"].append(float(lt))
            continue
        elif style == "tqdm":
            batches = run.steps[(i - 1) * per_epoch:i * per_epoch]
            states = []
            for b, values in enumerate(batches, 1):
                text = f"{values['loss']:.3f}"
                states.append(f"Epoch {i}/{n_ep}: {int(100 * b / len(batches)):3d}%|{'█' * (10 * b // len(batches)):<10}| "
                              f"{b}/{len(batches)} [00:0{b % 10}<00:00, {rng.uniform(80, 300):.2f}it/s, loss={text}]")
                shown["step:loss"].append(float(text))
            vt, vat = f"{val_loss:.4f}", f"{val_met:.4f}"
            lines.append("\r" + "\r".join(states))
            lines.append(f"Epoch {i}: val_loss={vt} val_{short}={vat}")
            shown["val_loss"].append(float(vt))
            shown["val_" + short].append(float(vat))
            continue
        shown["loss"].append(float(lt))
        if "val_loss" in shown and style not in ("epoch-comma",):
            shown["val_loss"].append(float(vt))
    write(out_dir, "console.log", "\n".join(lines) + "\n")
    granularity = "mixed" if style in ("mnist", "tqdm") else "epoch"
    return [Artifact("console.log", "pytorch-console", granularity, shown)]


def lightning_csv(out_dir, run, rng, log_every=None):
    """Lightning's CSVLogger metrics.csv: sparse rows of step values, epoch means and validation."""
    m = metric_key(run)
    short = "acc" if m == "accuracy" else "mae"
    log_every = log_every or int(rng.choice([5, 10, 20]))
    rows = [f"epoch,step,train_{short},train_loss_epoch,train_loss_step,val_{short},val_loss"]
    shown = {"step:loss": [], "loss": [], short: [], "val_loss": [], "val_" + short: []}
    step = 0
    for epoch, e in enumerate(run.epochs):
        for values in run.steps[epoch * run.steps_per_epoch:(epoch + 1) * run.steps_per_epoch]:
            step += 1
            if step % log_every == 0:
                rows.append(f"{epoch},{step - 1},,,{values['loss']!r},,")
                shown["step:loss"].append(values["loss"])
        rows.append(f"{epoch},{step - 1},,,,{e.get('val_' + m, math.nan)!r},{e.get('val_loss', math.nan)!r}")
        rows.append(f"{epoch},{step - 1},{e.get(m, math.nan)!r},{e.get('loss', math.nan)!r},,,")
        shown["loss"].append(e.get("loss", math.nan))
        shown[short].append(e.get(m, math.nan))
        shown["val_loss"].append(e.get("val_loss", math.nan))
        shown["val_" + short].append(e.get("val_" + m, math.nan))
    if short == "acc":
        shown["acc"] = shown.pop("acc")
    write(out_dir, "lightning_logs/version_0/metrics.csv", "\n".join(rows) + "\n")
    return [Artifact("lightning_logs/version_0/metrics.csv", "lightning-csv", "mixed", shown)]
