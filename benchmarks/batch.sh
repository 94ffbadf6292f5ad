#!/usr/bin/env bash
# Batch scaling: analyzes N small per-epoch logs (default 10 000) with one worker
# (LOSSLENS_JOBS=1) and with all cores, and reports files/s and the speedup.
#
# usage: benchmarks/batch.sh [COUNT]     Needs a release build (swift build -c release --static-swift-stdlib).
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-10000}
bin=$PWD/.build/release/losslens
[ -x "$bin" ] || { echo "build first: swift build -c release --static-swift-stdlib" >&2; exit 2; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/losslens-batch.XXXXXX")
trap 'rm -rf "$dir"' EXIT

# Small logs of three dialects with varied curves (some converge, some diverge or turn NaN),
# spread over sub-folders so artifact grouping sees separate runs.
python3 - "$dir" "$count" <<'PY'
import math, os, random, sys
root, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(11)
for index in range(count):
    folder = os.path.join(root, f"run{index // 100:03d}", f"r{index:05d}")
    os.makedirs(folder, exist_ok=True)
    epochs = rng.randint(5, 30)
    decay = rng.uniform(0.02, 0.3) * (1 if rng.random() < 0.8 else -0.5)
    lines = []
    for epoch in range(1, epochs + 1):
        loss = 2.3 * math.exp(-decay * epoch) + rng.random() * 0.05
        val = loss * rng.uniform(1.0, 1.3)
        text = "nan" if decay < 0 and epoch > epochs - 2 else f"{loss:.4f}"
        kind = index % 3
        if kind == 0:
            lines.append(f"Epoch {epoch}/{epochs}, loss = {text}, val_loss = {val:.4f}")
        elif kind == 1:
            lines.append(f"Epoch {epoch}/{epochs}")
            lines.append(f"50/50 - 1s - 5ms/step - accuracy: {1 - loss / 3:.4f} - loss: {text} - val_loss: {val:.4f}")
        else:
            lines.append(f"{{'eval_loss': {val:.4f}, 'loss': {text}, 'epoch': {float(epoch)}}}")
    with open(os.path.join(folder, "train.log"), "w") as out:
        out.write("\n".join(lines) + "\n")
PY

run() {
  local jobs=$1 start end
  start=$(date +%s.%N)
  if [ "$jobs" = all ]; then
    "$bin" analyze --format json --fail-on never "$dir" >"$dir.out" 2>/dev/null || true
  else
    LOSSLENS_JOBS=$jobs "$bin" analyze --format json --fail-on never "$dir" >"$dir.out" 2>/dev/null || true
  fi
  end=$(date +%s.%N)
  python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$start" "$end"
}
runs() { python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(len(r['runs']), len(r['errors']))" "$dir.out"; }

cores=$(nproc)
one=$(run 1); read -r one_runs one_errors < <(runs)
all=$(run all); read -r all_runs all_errors < <(runs)
rm -f "$dir.out"
python3 - "$count" "$cores" "$one" "$all" "$one_runs" "$all_runs" "$one_errors" <<'PY'
import sys
count, cores, one, everything = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
print(f"{count} logs, {cores} cores, runs reported: {sys.argv[5]} (1 job) / {sys.argv[6]} (all cores), errors: {sys.argv[7]}")
print(f"1 job:     {one:7.2f} s  {count / one:8.0f} files/s")
print(f"all cores: {everything:7.2f} s  {count / everything:8.0f} files/s")
print(f"speedup:   {one / everything:.2f}x")
PY
