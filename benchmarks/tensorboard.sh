#!/usr/bin/env bash
# Peak memory and throughput of `losslens analyze` on large TensorBoard event files: per-step
# scalars as PyTorch's SummaryWriter writes them (see tensorboard_events.py). The per-step values
# are placed a step at a time, so the peak RSS must not grow with the file.
#
# usage: benchmarks/tensorboard.sh [SIZE_MB ...]     (default: 100 1024)
# Needs a release build (swift build -c release --static-swift-stdlib). Files are written to
# ${BENCH_DIR:-/tmp/losslens-bench}, each alone in a folder of its own; LOSSLENS=path measures
# another binary.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(100 1024)
dir=${BENCH_DIR:-/tmp/losslens-bench}
bin=${LOSSLENS:-.build/release/losslens}
[ -x "$bin" ] || { echo "build first: swift build -c release --static-swift-stdlib" >&2; exit 2; }

printf '%-8s | %-12s | %-10s | %s\n' size "losslens MB/s" "peak RSS" "steps read"
for size in "${sizes[@]}"; do
  folder="$dir/tensorboard-${size}mb"
  file="$folder/events.out.tfevents.1700000000.bench.1.0"
  mkdir -p "$folder"
  [ -f "$file" ] || python3 benchmarks/generate.py tensorboard "$size" "$file"
  cat "$file" >/dev/null  # warm the page cache
  start=$EPOCHREALTIME
  /usr/bin/time -f "%M" -o "$dir/time.txt" "$bin" analyze --format json --fail-on never "$file" >"$dir/tensorboard.json"
  end=$EPOCHREALTIME
  python3 - "$file" "$start" "$end" "$(tail -n 1 "$dir/time.txt")" "$dir/tensorboard.json" <<'PY'
import json, os, sys
path, start, end, rss_kb, report = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
mb = os.path.getsize(path) / 1048576
loss = json.load(open(report))["runs"][0]["metrics"]["loss@step"]
steps = loss.get("reducedFrom", len(loss["values"]))
print(f"{mb:6.0f}M | {mb / (end - start):8.1f}     | {rss_kb / 1024:6.1f} MB | {steps}")
PY
done
