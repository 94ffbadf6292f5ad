"""Writers for detection (Ultralytics results.csv, an MMDetection-style console) and GAN logs."""
import math

from formats_epoch import Artifact, write
from training import lr_at

YOLO_COLUMNS = ["epoch", "train/box_loss", "train/obj_loss", "train/cls_loss", "metrics/precision", "metrics/recall",
                "metrics/mAP_0.5", "metrics/mAP_0.5:0.95", "val/box_loss", "val/obj_loss", "val/cls_loss", "x/lr0", "x/lr1",
                "x/lr2"]


def _g(x):
    return f"{x:.5g}" if math.isfinite(x) else ("nan" if math.isnan(x) else "inf")


def yolo_results(out_dir, run, rng, padded=None):
    """YOLOv5's results.csv: one row per epoch, box/obj/cls losses (train and val), P, R, mAP; padded to 20
    characters as YOLOv5 writes it, or unpadded as later Ultralytics versions do."""
    padded = bool(rng.integers(2)) if padded is None else padded
    rows = [YOLO_COLUMNS]
    shown = {f"{p}:{c}": [] for p in ("loss", "val_loss") for c in ("box", "obj", "cls")}
    for i, e in enumerate(run.epochs):
        lr = lr_at(run, (i + 1) * run.steps_per_epoch)
        values = [e["box_loss"], e["obj_loss"], e["cls_loss"], e["precision"], e["recall"], e["mAP50"], e["mAP50_95"],
                  e["val_box_loss"], e["val_obj_loss"], e["val_cls_loss"], lr, lr, lr]
        texts = [str(i)] + [_g(v) for v in values]
        rows.append(texts)
        for p, offset in (("loss", 1), ("val_loss", 8)):
            for j, c in enumerate(("box", "obj", "cls")):
                shown[f"{p}:{c}"].append(float(texts[offset + j]))
    width = 20 if padded else 0
    write(out_dir, "results.csv", "\n".join(",".join(t.rjust(width) for t in r) for r in rows) + "\n")
    return [Artifact("results.csv", "yolo-results-csv", "epoch", shown)]


def detection_console(out_dir, run, rng):
    """MMDetection/MMEngine-style lines: `Epoch(train) [e][i/n] lr: .. loss: .. loss_bbox: ..` and `Epoch(val)`."""
    lines, n = [], run.steps_per_epoch
    shown = {"loss": [], "loss:box": [], "loss:cls": [], "loss:obj": [], "step:loss": []}
    interval = max(1, n // int(rng.choice([2, 4])))
    for i, e in enumerate(run.epochs, 1):
        for b in range(interval, n + 1, interval):
            s = run.steps[(i - 1) * n + b - 1]
            text = f"{s['loss']:.4f}"
            lines.append(f"{run.meta['stamp']} - mmengine - INFO - Epoch(train) [{i}][{b:>3}/{n}]  lr: {lr_at(run, (i - 1) * n + b):.4e}  "
                         f"eta: 0:0{rng.integers(10)}:{rng.integers(10, 60)}  time: {rng.uniform(0.05, 0.2):.4f}  "
                         f"loss: {text}  loss_cls: {s['cls_loss']:.4f}  loss_bbox: {s['box_loss']:.4f}  loss_obj: {s['obj_loss']:.4f}")
            shown["step:loss"].append(float(text))
        total = f"{e['loss']:.4f}"
        lines.append(f"{run.meta['stamp']} - mmengine - INFO - Epoch(train) [{i}] mean  loss: {total}  loss_cls: {e['cls_loss']:.4f}  "
                     f"loss_bbox: {e['box_loss']:.4f}  loss_obj: {e['obj_loss']:.4f}")
        shown["loss"].append(float(total))
        for c in ("box", "cls", "obj"):
            shown["loss:" + c].append(float(f"{e[c + '_loss']:.4f}"))
        lines.append(f"{run.meta['stamp']} - mmengine - INFO - Epoch(val) [{i}][{run.meta['n_val']}/{run.meta['n_val']}]  "
                     f"bbox_mAP: {e['mAP50_95']:.4f}  bbox_mAP_50: {e['mAP50']:.4f}  precision: {e['precision']:.4f}  "
                     f"recall: {e['recall']:.4f}  val_loss: {e['val_loss']:.4f}")
    write(out_dir, "train.log", "\n".join(lines) + "\n")
    return [Artifact("train.log", "generic-console", "mixed", shown)]


def gan_console(out_dir, run, rng, style=None):
    """GAN loops' prints: the DCGAN tutorial (`[e/E][i/N]\\tLoss_D: ..\\tLoss_G: ..\\tD(x): ..\\tD(G(z)): ..`)
    or PyTorch-GAN (`[Epoch e/E] [Batch i/N] [D loss: ..] [G loss: ..]`), every `interval` iterations."""
    style = style or str(rng.choice(["dcgan", "pytorch-gan"]))
    per_epoch, iters = run.steps_per_epoch, len(run.steps)
    n_ep = iters // per_epoch
    interval = int(rng.choice([5, 10, 20]))
    lines, shown = [], {"d_loss": [], "g_loss": []}
    for it, r in enumerate(run.steps):
        if it % interval:
            continue
        e, b = it // per_epoch, it % per_epoch
        dt, gt = f"{r['d_loss']:.4f}", f"{r['g_loss']:.4f}"
        if style == "dcgan":
            lines.append(f"[{e}/{n_ep}][{b}/{per_epoch}]\tLoss_D: {dt}\tLoss_G: {gt}\tD(x): {r['d_x']:.4f}\t"
                         f"D(G(z)): {r['d_gz']:.4f} / {r['d_gz']:.4f}")
        else:
            dt, gt = f"{r['d_loss']:f}", f"{r['g_loss']:f}"
            lines.append(f"[Epoch {e}/{n_ep}] [Batch {b}/{per_epoch}] [D loss: {dt}] [G loss: {gt}]")
        shown["d_loss"].append(float(dt))
        shown["g_loss"].append(float(gt))
    write(out_dir, "train.log", "\n".join(lines) + "\n")
    return [Artifact("train.log", "generic-console", "step", shown)]


def gan_csv(out_dir, run, rng):
    """Per-epoch means, as `pd.DataFrame(history).to_csv("losses.csv")` writes them."""
    per_epoch = run.steps_per_epoch
    rows, shown = [",d_loss,g_loss,d_x,d_gz"], {"d_loss": [], "g_loss": []}
    for e in range(len(run.steps) // per_epoch):
        chunk = run.steps[e * per_epoch:(e + 1) * per_epoch]
        mean = {k: sum(r[k] for r in chunk) / len(chunk) for k in ("d_loss", "g_loss", "d_x", "d_gz")}
        rows.append(f"{e},{mean['d_loss']!r},{mean['g_loss']!r},{mean['d_x']!r},{mean['d_gz']!r}")
        shown["d_loss"].append(mean["d_loss"])
        shown["g_loss"].append(mean["g_loss"])
    write(out_dir, "losses.csv", "\n".join(rows) + "\n")
    return [Artifact("losses.csv", "other", "epoch", shown)]
