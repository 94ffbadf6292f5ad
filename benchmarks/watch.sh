#!/usr/bin/env bash
# `losslens watch` on a long log piped in: throughput and peak memory of the pass-through with live
# analysis, against `cat` on the same pipe. Memory must not grow with the log: what was followed is
# spooled to a temporary file past 8 MB, and a writer faster than the analysis waits on its pipe.
#
# usage: benchmarks/watch.sh [SIZE_MB]   (default 1024; the PyTorch per-step log of benchmarks/run.sh)
# Needs a release build (swift build -c release --static-swift-stdlib, as the README builds it). Files are written to ${BENCH_DIR:-/tmp/losslens-bench}.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1024}
dir=${BENCH_DIR:-/tmp/losslens-bench}
mkdir -p "$dir"
bin=.build/release/losslens
[ -x "$bin" ] || { echo "build first: swift build -c release --static-swift-stdlib" >&2; exit 2; }
file="$dir/pytorch-${size}mb.log"
[ -f "$file" ] || python3 benchmarks/generate.py pytorch "$size" "$file"
mb=$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1]) / 1048576)" "$file")
cat "$file" >/dev/null  # warm the page cache

# Prints "seconds peak_rss_kb" of the consumer at the end of `cat FILE | COMMAND`.
measure() {
  cat "$file" | /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" >"$dir/stdout.txt" 2>"$dir/stderr.txt" || true
  tail -n 1 "$dir/time.txt"
}
read -r wt wm < <(measure "$bin" watch --fail-on never)
cmp -s "$dir/stdout.txt" "$file" || { echo "watch did not pass the log through unchanged" >&2; exit 1; }
read -r ct cm < <(measure cat)
python3 - "$mb" "$wt" "$wm" "$ct" "$cm" <<'PY'
import sys
mb, wt, wm, ct, cm = map(float, sys.argv[1:])
rate = lambda t: mb / max(t, 0.01)
print(f"{mb:.0f} MB piped: losslens watch {rate(wt):.1f} MB/s ({wm/1024:.1f} MB peak RSS), cat {rate(ct):.1f} MB/s ({cm/1024:.1f} MB)")
PY
