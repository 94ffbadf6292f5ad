#!/usr/bin/env bash
# Throughput and peak memory of `losslens analyze` on per-step logs (PyTorch, Keras and HF console
# output, a Lightning metrics.csv), against `grep -cP` with an equivalent pattern (for the
# Lightning table `grep -c ,`, the baseline its goal names: "read at no less than half of
# `grep -c ,` throughput on the same file in the same run") and a plain Python `re` loop, measured
# in one run on the same files.
#
# usage: benchmarks/run.sh [SIZE_MB ...]     (default: 100 1024)
# Needs a release build (swift build -c release --static-swift-stdlib, as the README builds it). Files are written to ${BENCH_DIR:-/tmp/losslens-bench}.
# losslens and grep run ${RUNS:-3} times each, alternating, and the fastest run counts (peak RSS: the
# largest): on a shared machine one run may be slowed by a neighbour or by pages reclaimed from the
# cache. Python runs once: it is slow enough that such noise does not change its ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(100 1024)
dir=${BENCH_DIR:-/tmp/losslens-bench}
mkdir -p "$dir"
bin=.build/release/losslens
[ -x "$bin" ] || { echo "build first: swift build -c release --static-swift-stdlib" >&2; exit 2; }
# Start-up is part of every figure: say so when the binary loads the Swift runtime at each start.
if ldd "$bin" 2>/dev/null | grep -q libswiftCore; then
  echo "note: $bin links the Swift runtime dynamically (built without --static-swift-stdlib)" >&2
fi

declare -A grep_pattern=(
  [pytorch]='[Ee]poch \d+/\d+, step \d+/\d+, loss = [-\d.]+'
  [keras]='- loss: [-\d.]+'
  [hf]="^\{'loss': '[-\d.e]+'"
  [lightning]='^\d+,\d+,[-\d.]+,'
)
declare -A extension=([pytorch]=log [keras]=log [hf]=log [lightning]=csv)

# Prints "seconds peak_rss_kb" of a command. The output goes through a pipe that counts it, not to
# /dev/null: GNU grep notices /dev/null and stops at the first match, which would time nothing. Nor
# to a file: `grep -oP` writes hundreds of MB, which pushed the log out of the page cache of a small
# machine. The wall time is taken by the shell to the microsecond (`time -f %e` has 10 ms steps, a
# tenth of grep's time on the Keras log); `time` gives the peak RSS.
measure() {
  local start=$EPOCHREALTIME
  /usr/bin/time -f "%M" -o "$dir/time.txt" "$@" > >(wc -c >"$dir/stdout.txt") 2>"$dir/stderr.txt" || true
  local end=$EPOCHREALTIME
  echo "$(python3 -c "print(round($end - $start, 6))") $(tail -n 1 "$dir/time.txt")"
}

runs=${RUNS:-3}
# Keeps the fastest time and the largest peak RSS of the runs so far in best_<name>.
keep_best() {
  local name=$1 time=$2 rss=$3 best_time best_rss
  read -r best_time best_rss <<<"${!name:-999999 0}"
  printf -v "$name" '%s %s' "$(python3 -c "print(min($best_time, $time))")" "$(( rss > best_rss ? rss : best_rss ))"
}

printf '%-9s %7s | %-26s | %-26s | %-13s | %-26s | %s\n' dialect size "losslens MB/s (RSS MB)" "grep -c MB/s (RSS MB)" "grep -oP MB/s" "python re MB/s (RSS MB)" "losslens/grep -c, losslens/python"
echo "grep -c: grep -cP with the pattern of each log; for the lightning table, grep -c ,"

for size in "${sizes[@]}"; do
  for dialect in pytorch keras hf lightning; do
    file="$dir/$dialect-${size}mb.${extension[$dialect]}"
    [ -f "$file" ] || python3 benchmarks/generate.py "$dialect" "$size" "$file"
    mb=$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1]) / 1048576)" "$file")
    cat "$file" >/dev/null  # warm the page cache so every tool reads from memory
    unset best_losslens best_grep best_grep_o
    if [ "$dialect" = lightning ]; then count=(grep -c ,); else count=(grep -cP -e "${grep_pattern[$dialect]}"); fi
    for _ in $(seq "$runs"); do
      keep_best best_losslens $(measure "$bin" analyze --format json --fail-on never "$file")
      keep_best best_grep $(measure "${count[@]}" "$file")
      # Every match, not the first of each line: what a Keras log needs to give up its steps, since
      # a whole epoch of progress-bar redraws is one line to grep.
      keep_best best_grep_o $(measure grep -oP -e "${grep_pattern[$dialect]}" "$file")
    done
    read -r lt lm <<<"$best_losslens"
    read -r gt gm <<<"$best_grep"
    read -r ot om <<<"$best_grep_o"
    read -r pt pm < <(measure python3 benchmarks/python_baseline.py "$file")
    python3 - "$dialect" "$mb" "$lt" "$lm" "$gt" "$gm" "$ot" "$pt" "$pm" <<'PY'
import sys
d, mb, lt, lm, gt, gm, ot, pt, pm = sys.argv[1], *map(float, sys.argv[2:])
rate = lambda t: mb / max(t, 1e-6)
print(f"{d:<9} {mb:6.0f}M | {rate(lt):8.1f} MB/s ({lm/1024:6.1f} MB) | {rate(gt):8.1f} MB/s ({gm/1024:6.1f} MB) | "
      f"{rate(ot):8.1f} MB/s | {rate(pt):8.1f} MB/s ({pm/1024:6.1f} MB) | {rate(lt)/rate(gt):.2f}x, {rate(lt)/rate(pt):.1f}x")
PY
  done
done
