#!/usr/bin/env python3
"""Generate labeled training runs with real variation, in two seed splits, for evaluating losslens.

Every run really trains (Keras 3 on the JAX backend, or plain JAX for the GANs) a tiny model on data made
here or bundled with scikit-learn, and is written in one family of log formats:
  classification  K in {2,3,5,10,100}; MLP (depth 1-3, width 16-256), CNN on the 8x8 digits, GRU/LSTM and a
                  transformer block over the image rows; SGD, SGD+momentum, Adam, AdamW, RMSprop   (scenarios_cls.py)
  regression      mse/mae: healthy, diverging, unnormalized targets, an accuracy metric      (scenarios_reg.py)
  language-model  char-level GRU/LSTM/transformer, loss + token accuracy + perplexity        (scenarios_lm.py)
  detection       box/cls/obj losses and their total, precision/recall/mAP: results.csv + console (scenarios_det.py)
  gan             GAN and WGAN on a ring of Gaussians                                        (scenarios_gan.py)
  step            1-3 epoch runs with hundreds of logged steps: HF Trainer or nanoGPT logs   (scenarios_step.py)
Formats: Keras console/history.json/CSVLogger, PyTorch-loop prints (7 styles), Lightning metrics.csv, HF
trainer_state.json + console, nanoGPT `iter N: loss X, time Yms`, Ultralytics results.csv, MMEngine-style
console, GAN console and CSV (formats_*.py).

Labels: the scenario says what a careful engineer requires and allows; checks.py then judges each artifact's
printed numbers. An artifact whose required pathology did not materialize, or that shows a pathology its
scenario does not expect (a "healthy" run that overfits, say), is dropped and reported, so that no label
is wrong; borderline readings of the numbers are added to "allow". labels.json follows the shared corpus
schema plus "task", "classes" (K or null), "granularity", "split" (and "scenario", "seed", "config").

Splits: dev = seeds 100-104, holdout = seeds 200-204. Never tune anything on the holdout split, and
never run losslens on it while developing.

Needs: Python 3.10+, `pip install keras "jax[cpu]" scikit-learn` (CPU only).
Run (from the repository root; ~15 CPU-minutes per split: 10-15 minutes on 2 free cores, twice that on a loaded machine):
    python3 scripts/robustness/generate.py --split dev      # -> /work/gen-runs/dev/ (labels.json, skipped.txt)
    python3 scripts/robustness/generate.py --split holdout  # -> /work/gen-runs/holdout/
    /work/shared/tools/score-corpus --bin .build/release/losslens /work/gen-runs/dev
Options: --out DIR, --only NAME... (re-runs those scenarios, keeps the other labels), --jobs N (default 2),
--seeds N... (overrides the split's seeds). skipped.txt lists every dropped run/artifact and why.
The output is deterministic for a given environment (the LM text comes from this Python's docstrings).
The output is data: keep it out of the repository. generate_runs.py (the older replay of the shared
corpus' scenarios) is kept as it was.
"""
import argparse
import json
import math
import multiprocessing
import os
import shutil
import sys
import time
import zlib

sys.dont_write_bytecode = True  # keep the repository free of __pycache__
os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")  # and the spawned workers
SPLITS = {"dev": [100, 101, 102, 103, 104], "holdout": [200, 201, 202, 203, 204]}
HERE = os.path.dirname(os.path.abspath(__file__))


def scenarios():
    import scenarios_cls
    import scenarios_det
    import scenarios_gan
    import scenarios_lm
    import scenarios_reg
    import scenarios_step
    return {s.name: s for m in (scenarios_cls, scenarios_reg, scenarios_lm, scenarios_det, scenarios_gan, scenarios_step)
            for s in m.SCENARIOS}


CRASHES = ["cls-crash-bce-no-sigmoid", "cls-crash-label-out-of-range"]


def write_artifacts(scenario, run, out_dir, rng, seed):
    import formats_special as fx
    import formats_step as fs
    from scenarios_common import write_formats
    run.meta.setdefault("stamp", f"2026/05/{1 + seed % 28:02d} 10:{seed % 60:02d}:07")
    if scenario.formats == "detection":
        run.meta["n_val"] = run.meta.get("n_val", 0)
        return fx.yolo_results(out_dir, run, rng) + fx.detection_console(out_dir, run, rng)
    if scenario.formats == "gan":
        return fx.gan_console(out_dir, run, rng) + fx.gan_csv(out_dir, run, rng)
    if scenario.formats == "step":
        return fs.nanogpt(out_dir, run, rng) if run.meta["family"] == "nanogpt" else fs.hf_trainer(out_dir, run, rng)
    return write_formats(scenario.formats, out_dir, run, rng, seed)


def summary(xs):
    f = [x for x in xs if x is not None and math.isfinite(x)]
    if not f:
        return "all non-finite"
    i = min(range(len(xs)), key=lambda j: xs[j] if xs[j] is not None and math.isfinite(xs[j]) else math.inf)
    bad = next((j for j, x in enumerate(xs) if x is None or not math.isfinite(x)), None)
    text = f"{xs[0]:.4g} -> min {xs[i]:.4g} at #{i + 1} -> last {f[-1]:.4g} ({len(xs)} points)"
    return text + (f", first non-finite at #{bad + 1}" if bad is not None else "")


def notes(shown, states):
    parts = [f"{k}: {summary(v)}" for k, v in shown.items() if v and not k.startswith("val_loss:")]
    fired = [f"{r}={s}" for r, s in states.items() if s in ("present", "borderline")]
    return "; ".join(parts) + ". Numbers show: " + (", ".join(fired) or "nothing")


def one_run(job):
    """Train one (scenario, seed), write its artifacts, label them. Returns (labels, skipped lines)."""
    try:
        return _one_run(*job)
    except Exception as e:  # reported, never labeled
        import traceback
        shutil.rmtree(os.path.join(job[2], f"{job[0]}-s{job[1]}"), ignore_errors=True)
        return [], [f"{job[0]}-s{job[1]}: failed: {type(e).__name__}: {e} | {traceback.format_exc(limit=-2)!r:.300}"]


def _one_run(name, seed, out_root, split):
    run_dir = f"{name}-s{seed}"
    out_dir = os.path.join(out_root, run_dir)
    shutil.rmtree(out_dir, ignore_errors=True)
    if name in CRASHES:
        from generate_runs import crash_log
        crash_log("bce-no-sigmoid" if "bce" in name else "off-by-one", seed, out_dir)
        k = 2 if "bce" in name else 10
        return [{"path": f"{run_dir}/console.log", "scenario": name, "seed": seed, "format": "pytorch-console",
                 "task": "classification-binary" if k == 2 else "classification-multiclass", "classes": k,
                 "granularity": "epoch", "split": split, "require": [["crash"]], "allow": ["too-short"],
                 "notes": "ends in a traceback after 0-2 epochs"}], []
    import numpy as np
    import checks
    from training import seed_everything
    scenario = scenarios()[name]
    stream = zlib.crc32(name.encode())  # each scenario draws its own configuration from the seed
    rng = seed_everything(seed, stream)
    started = time.time()
    run = scenario.train(seed, rng)
    reason = scenario.checks(run) if scenario.checks else None
    if reason:
        return [], [f"{run_dir}: {reason}"]
    arts = write_artifacts(scenario, run, out_dir, np.random.default_rng([seed, stream, 7]), seed)
    ctx = {"task": run.task, "classes": run.classes, "majority": run.meta.get("majority"),
           "val_majority": run.meta.get("val_majority"), "gan": run.meta.get("gan")}
    labels, skipped = [], []
    for a in arts:
        ctx["granularity"] = a.granularity
        require, allow, why = checks.label(scenario.require, scenario.allow, a.shown, ctx)
        if why:
            skipped.append(f"{run_dir}/{a.path}: {why}")
            os.remove(os.path.join(out_dir, a.path))
            continue
        config = {k: (v.item() if hasattr(v, "item") else v) for k, v in run.meta.items()
                  if k not in ("lr_steps", "initial", "stamp") and not isinstance(v, (list, dict))}
        labels.append({"path": f"{run_dir}/{a.path}", "scenario": name, "seed": seed, "format": a.format, "task": run.task,
                       "classes": run.classes if run.task.startswith("classification") else None,
                       "granularity": a.granularity, "split": split, "require": require, "allow": allow,
                       "notes": notes(a.shown, checks.judge(a.shown, ctx)), "config": config})
    if not labels:
        shutil.rmtree(out_dir, ignore_errors=True)
    print(f"{run_dir}: {len(labels)}/{len(arts)} artifacts labeled, {time.time() - started:.1f}s", file=sys.stderr, flush=True)
    return labels, skipped


def init_worker():
    sys.path.insert(0, HERE)
    os.environ.setdefault("KERAS_BACKEND", "jax")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
    import warnings
    warnings.filterwarnings("ignore")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=SPLITS, required=True)
    parser.add_argument("--out", help="default: /work/gen-runs/SPLIT")
    parser.add_argument("--only", nargs="*", help="scenario names (default: all)")
    parser.add_argument("--seeds", type=int, nargs="*")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    init_worker()
    out = args.out or os.path.join("/work/gen-runs", args.split)
    os.makedirs(out, exist_ok=True)
    names = list(scenarios()) + CRASHES
    if args.only:
        names = [n for n in names if n in args.only]
    seeds = args.seeds or SPLITS[args.split]
    # Interleave slow and fast scenarios; the step/LM runs are the slowest.
    jobs = [(n, s, out, args.split) for s in seeds for n in names]
    started = time.time()
    with multiprocessing.get_context("spawn").Pool(args.jobs, initializer=init_worker) as pool:
        results = pool.map(one_run, jobs, chunksize=1)
    labels = [a for r in results for a in r[0]]
    skipped = [s for r in results for s in r[1]]
    done = {f"{n}-s{s}" for n, s, _, _ in jobs}
    labels_path, skipped_path = os.path.join(out, "labels.json"), os.path.join(out, "skipped.txt")
    if args.only and os.path.exists(labels_path):  # re-running some scenarios keeps the labels of the others
        labels = [a for a in json.load(open(labels_path))["artifacts"] if a["path"].split("/")[0] not in done] + labels
        if os.path.exists(skipped_path):
            skipped = [line.rstrip("\n") for line in open(skipped_path)
                       if line.strip() and line.split(":")[0].split("/")[0] not in done] + skipped
    labels.sort(key=lambda a: a["path"])
    with open(labels_path, "w") as f:
        json.dump({"artifacts": labels}, f, indent=1, allow_nan=True)
    with open(skipped_path, "w") as f:
        f.write("\n".join(skipped) + ("\n" if skipped else ""))
    print(f"{len(labels)} artifacts labeled in {out} ({time.time() - started:.0f}s); {len(skipped)} skipped:", file=sys.stderr)
    for line in skipped:
        print("  " + line, file=sys.stderr)


if __name__ == "__main__":
    main()
