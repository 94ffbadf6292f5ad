"""Writers for the non-Keras log formats of the shared labeled corpus (used by generate_runs.py).

Each writer takes a `Recorder` (per-epoch Keras logs: loss, accuracy, val_loss, val_accuracy; and
per-batch losses) and prints what a PyTorch loop, Lightning's CSVLogger or the HF Trainer would have
logged for the same training. Needs only the Python standard library.
"""
import datetime
import json
import math
import os

TORCH_FORMATS = ["bracket", "pipe", "pipe-loss", "mnist", "epoch-comma", "epoch-colon", "logging", "tqdm"]


def _get(epoch, key):
    return epoch.get(key, float("nan"))


def _torch_float(x):
    """How Python prints a float (`str`), as in `print(f"Loss: {loss}")` of a tensor's .item()."""
    return repr(float(x))


def _bar(done, total, width=10):
    filled = int(width * done / total)
    return "█" * filled + " " * (width - filled)


def write_torch_console(out_dir, fmt, rec, n_train, n_val, fit_args, seed):
    epochs = len(rec.epochs)
    lines = []
    start = datetime.datetime(2026, 11, 22, 22, 44, 41) + datetime.timedelta(minutes=seed)
    for i, e in enumerate(rec.epochs, 1):
        loss, acc, val_loss, val_acc = _get(e, "loss"), _get(e, "accuracy"), _get(e, "val_loss"), _get(e, "val_accuracy")
        if fmt == "bracket":
            lines.append(f"Epoch [{i}/{epochs}], Loss: {loss:.4f}, Acc: {100 * acc:.2f}%, Val Loss: {val_loss:.4f}, Val Acc: {100 * val_acc:.2f}%")
        elif fmt == "pipe":
            lines.append(f"epoch {i:3d} | train_loss {loss:.5f} | train_acc {acc:.4f} | val_loss {val_loss:.5f} | val_acc {val_acc:.4f}")
        elif fmt == "pipe-loss":
            lines.append(f"epoch {i:3d} | train_loss {loss:.5f} | val_loss {val_loss:.5f}")
        elif fmt == "epoch-comma":
            lines.append(f"Epoch {i}, Loss: {_torch_float(loss)}")
        elif fmt == "epoch-colon":
            lines.append(f"Epoch: {i}, Loss: {_torch_float(loss)}")
        elif fmt == "logging":
            stamp = start + datetime.timedelta(milliseconds=16 * i)
            lines.append(f"{stamp:%Y-%m-%d %H:%M:%S},{stamp.microsecond // 1000:03d} - train - INFO - Epoch {i}/{epochs} - "
                         f"loss={loss:.4f} - val_loss={val_loss:.4f} - val_acc={val_acc:.4f}")
        elif fmt == "mnist":
            batch = fit_args["batch_size"]
            batches = rec.batches[i - 1]
            interval = max(1, len(batches) // 5)
            for b in range(0, len(batches), interval):
                seen = b * batch
                lines.append(f"Train Epoch: {i} [{seen}/{n_train} ({100.0 * b / len(batches):.0f}%)]\tLoss: {batches[b]:.6f}")
            correct = int(round(val_acc * n_val))
            lines += ["", f"Test set: Average loss: {val_loss:.4f}, Accuracy: {correct}/{n_val} ({100.0 * correct / n_val:.0f}%)", ""]
        elif fmt == "tqdm":
            batches = rec.batches[i - 1]
            states = []
            for b, value in enumerate(batches, 1):
                pct = int(100 * b / len(batches))
                shown = 0.0 if abs(value) < 5e-4 else value
                text = f"{shown:.3f}" if shown != 0.0 else ("-0.000" if value <= 0 else "0.000")
                states.append(f"Epoch {i}/{epochs}: {pct:3d}%|{_bar(b, len(batches))}| {b}/{len(batches)} "
                              f"[00:00<00:00, 250.00it/s, loss={text}]")
            val_text = f"{val_loss:.4f}" if abs(val_loss) >= 5e-5 else ("-0.0000" if val_loss <= 0 else "0.0000")
            lines.append("\r" + "\r".join(states))
            lines.append(f"Epoch {i}: val_loss={val_text} val_acc={val_acc:.4f}")
        else:
            raise ValueError(fmt)
    if fmt == "epoch-colon" and epochs < 5:
        lines += lines  # the corpus' too-short run printed its history twice (a re-run appended to the log)
    with open(os.path.join(out_dir, "console.log"), "w") as f:
        f.write("\n".join(lines) + "\n")


def write_lightning_csv(out_dir, rec, log_every=10):
    folder = os.path.join(out_dir, "lightning", "version_0")
    os.makedirs(folder, exist_ok=True)
    rows = ["epoch,step,train_acc,train_loss_epoch,train_loss_step,val_acc,val_loss"]
    step = 0
    for epoch, (e, batches) in enumerate(zip(rec.epochs, rec.batches)):
        for value in batches:
            step += 1
            if step % log_every == 0:
                rows.append(f"{epoch},{step - 1},,,{value!r},,")
        rows.append(f"{epoch},{step - 1},,,,{_get(e, 'val_accuracy')!r},{_get(e, 'val_loss')!r}")
        rows.append(f"{epoch},{step - 1},{_get(e, 'accuracy')!r},{_get(e, 'loss')!r},,,")
    with open(os.path.join(folder, "metrics.csv"), "w") as f:
        f.write("\n".join(rows).replace("nan", "nan") + "\n")


def write_hf(out_dir, rec, fit_args, logging_steps=10, base_lr=1e-3):
    per_epoch = len(rec.batches[0])
    total = per_epoch * len(rec.epochs)
    history, console = [], []
    step, window = 0, []
    for epoch, (e, batches) in enumerate(zip(rec.epochs, rec.batches), 1):
        for value in batches:
            step += 1
            window.append(value)
            if step % logging_steps == 0:
                mean = sum(window) / len(window)
                window = []
                entry = {"epoch": round(step / per_epoch, 4), "grad_norm": 0.5, "learning_rate": base_lr * (1 - step / total),
                         "loss": mean, "step": step}
                history.append(entry)
                console.append(f"{{'loss': '{mean:.4g}', 'grad_norm': '0.5', 'learning_rate': '{entry['learning_rate']:.4g}', "
                               f"'epoch': '{entry['epoch']:.4g}'}}")
        evaluation = {"epoch": float(epoch), "eval_accuracy": _get(e, "val_accuracy"), "eval_loss": _get(e, "val_loss"),
                      "eval_runtime": 0.22, "eval_samples_per_second": 900.0, "eval_steps_per_second": 112.0, "step": step}
        history.append(evaluation)
        console.append(f"{{'eval_loss': '{evaluation['eval_loss']:.4g}', 'eval_accuracy': '{evaluation['eval_accuracy']:.4g}', "
                       f"'eval_runtime': '0.22', 'eval_samples_per_second': '900', 'eval_steps_per_second': '112', 'epoch': '{epoch}'}}")
    finite = [x for b in rec.batches for x in b if math.isfinite(x)]
    history.append({"epoch": float(len(rec.epochs)), "step": step, "total_flos": 1.0e10,
                    "train_loss": sum(finite) / max(1, len(finite)), "train_runtime": 3.5})
    state = {"best_global_step": None, "best_metric": None, "best_model_checkpoint": None, "epoch": float(len(rec.epochs)),
             "eval_steps": 500, "global_step": step, "is_hyper_param_search": False, "is_local_process_zero": True,
             "is_world_process_zero": True, "log_history": history, "logging_steps": logging_steps, "max_steps": total,
             "num_input_tokens_seen": 0, "num_train_epochs": len(rec.epochs), "save_steps": 500,
             "train_batch_size": fit_args["batch_size"], "trial_name": None, "trial_params": None}
    with open(os.path.join(out_dir, "trainer_state.json"), "w") as f:
        json.dump(state, f, indent=2)
    with open(os.path.join(out_dir, "console.log"), "w") as f:
        f.write("\n".join(console) + "\n")
