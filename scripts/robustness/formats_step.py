"""Writers for per-step logs: Hugging Face Trainer (trainer_state.json and its console dicts), nanoGPT's prints.

For runs trained in "intervals" (`run.epochs` are evaluation points every `run.steps_per_epoch` steps), the
data epoch is `run.meta["steps_per_data_epoch"]` steps long.
"""
import json
import math

from formats_epoch import Artifact, write


from training import lr_at as _lr


def _fmt(x):
    return f"{x:.4g}" if math.isfinite(x) else ("nan" if math.isnan(x) else ("inf" if x > 0 else "-inf"))


def hf_trainer(out_dir, run, rng, logging_steps=None, quoted=None):
    """trainer_state.json (log_history) and the console's dict lines. Loss is the mean over the logging window,
    rounded to 4 decimals as the Trainer does; evaluation after every interval/epoch."""
    logging_steps = logging_steps or int(rng.choice([1, 2] if run.meta.get("spike_at") else [1, 2, 5, 10]))
    quoted = bool(rng.integers(2)) if quoted is None else quoted
    per_data_epoch = run.meta.get("steps_per_data_epoch", run.steps_per_epoch)
    history, console = [], []
    shown = {"step:loss": [], "val_loss": []}
    has_acc = "val_accuracy" in run.epochs[0]
    if has_acc:
        shown["val_acc"] = []
    step, window = 0, []
    for i, e in enumerate(run.epochs, 1):
        for values in run.steps[(i - 1) * run.steps_per_epoch:i * run.steps_per_epoch]:
            step += 1
            window.append(values["loss"])
            if step % logging_steps == 0:
                mean = round(sum(window) / len(window), 4) if all(math.isfinite(x) for x in window) else float("nan")
                window = []
                entry = {"epoch": round(step / per_data_epoch, 4), "learning_rate": _lr(run, step), "loss": mean, "step": step}
                history.append(entry)
                shown["step:loss"].append(mean)
                parts = [("loss", mean), ("learning_rate", entry["learning_rate"]), ("epoch", entry["epoch"])]
                console.append(_dict_line(parts, quoted))
        evaluation = {"epoch": round(step / per_data_epoch, 4), "eval_loss": e.get("val_loss", math.nan)}
        if has_acc:
            evaluation["eval_accuracy"] = e["val_accuracy"]
            shown["val_acc"].append(e["val_accuracy"])
        if run.task == "language-model":
            evaluation["eval_perplexity"] = math.exp(min(evaluation["eval_loss"], 700.0))
        evaluation.update({"eval_runtime": round(float(rng.uniform(0.2, 1.5)), 4), "eval_samples_per_second": round(
            float(rng.uniform(300, 900)), 3), "eval_steps_per_second": round(float(rng.uniform(20, 60)), 3), "step": step})
        history.append(evaluation)
        shown["val_loss"].append(evaluation["eval_loss"])
        console.append(_dict_line([(k, v) for k, v in evaluation.items() if k != "step"], quoted))
    finite = [x["loss"] for x in run.steps if math.isfinite(x["loss"])]
    summary = {"epoch": round(step / per_data_epoch, 4), "step": step, "total_flos": float(rng.integers(10**9, 10**11)),
               "train_loss": sum(finite) / max(1, len(finite)), "train_runtime": round(float(rng.uniform(20, 400)), 4)}
    history.append(summary)
    console.append(_dict_line([(k, v) for k, v in summary.items() if k not in ("step", "total_flos")], quoted))
    state = {"best_metric": None, "best_model_checkpoint": None, "epoch": summary["epoch"], "eval_steps": run.steps_per_epoch,
             "global_step": step, "is_hyper_param_search": False, "is_local_process_zero": True,
             "is_world_process_zero": True, "log_history": history, "logging_steps": logging_steps, "max_steps": step,
             "num_train_epochs": math.ceil(step / per_data_epoch), "save_steps": 500,
             "train_batch_size": run.meta["batch_size"], "trial_name": None, "trial_params": None}
    write(out_dir, "trainer_state.json", json.dumps(state, indent=2))
    write(out_dir, "console.log", "\n".join(console) + "\n")
    granularity = "mixed" if per_data_epoch == run.steps_per_epoch else "step"
    return [Artifact("trainer_state.json", "hf-trainer-state", granularity, shown),
            Artifact("console.log", "hf-trainer-console", granularity, shown)]


def _dict_line(parts, quoted):
    if quoted:  # recent Trainer versions print the values as strings
        return "{" + ", ".join(f"'{k}': '{_fmt(v) if isinstance(v, float) else v}'" for k, v in parts) + "}"
    return "{" + ", ".join(f"'{k}': {v!r}" for k, v in parts) + "}"


def nanogpt(out_dir, run, rng, log_interval=None):
    """nanoGPT's train.py prints: `step N: train loss X, val loss Y` at each evaluation,
    `iter N: loss X, time Yms, mfu Z%` every log_interval iterations."""
    log_interval = log_interval or int(rng.choice([1, 5, 10]))
    lines, shown = [], {"step:loss": [], "loss": [], "val_loss": []}
    init = run.meta.get("initial")
    if init:
        lines.append(f"step 0: train loss {init['loss']:.4f}, val loss {init['val_loss']:.4f}")
        shown["loss"].append(float(f"{init['loss']:.4f}"))
        shown["val_loss"].append(float(f"{init['val_loss']:.4f}"))
    ms = float(rng.uniform(20, 400))
    mfu = -100.0
    for it, values in enumerate(run.steps):
        if it % log_interval == 0:
            text = f"{values['loss']:.4f}"
            lines.append(f"iter {it}: loss {text}, time {ms * rng.uniform(0.9, 1.1):.2f}ms, mfu {mfu:.2f}%")
            shown["step:loss"].append(float(text))
            if it >= 5 * log_interval:
                mfu = round(float(rng.uniform(3, 9)), 2) if mfu < 0 else round(0.9 * mfu + 0.1 * rng.uniform(3, 9), 2)
        if (it + 1) % run.steps_per_epoch == 0:
            e = run.epochs[(it + 1) // run.steps_per_epoch - 1]
            lt, vt = f"{e['loss']:.4f}", f"{e['val_loss']:.4f}"
            lines.append(f"step {it + 1}: train loss {lt}, val loss {vt}")
            shown["loss"].append(float(lt))
            shown["val_loss"].append(float(vt))
            if math.isfinite(e["val_loss"]):
                lines.append(f"saving checkpoint to {run.meta.get('out_name', 'out')}")
    write(out_dir, "train.log", "\n".join(lines) + "\n")
    return [Artifact("train.log", "nanogpt", "step", shown)]
