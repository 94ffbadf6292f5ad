#!/usr/bin/env bash
# Builds the libFuzzer targets (one per parser) and runs each for a bounded time.
#
#   Fuzz/run.sh [SECONDS] [TARGET...]   run every target (or the named ones: csv, keras-history,
#                                       hf-state, notebook, tensorboard, console) for SECONDS each
#                                       (default 60) on a throw-away corpus grown from Fuzz/seeds;
#                                       exits 1 when a target crashes, hangs or runs out of memory.
#   Fuzz/run.sh --keep SECONDS [TARGET...]
#                                       the same for long runs by hand: the grown corpus is kept in
#                                       Fuzz/corpus/<target> and reused by the next --keep run.
#
# A crashing input is written to Fuzz/artifacts/<target>-crash-<hash>; reproduce it with
#   Fuzz/.build/release/fuzz-<target> Fuzz/artifacts/<target>-crash-<hash>
# then commit it as a regression test of the normal test suite.
set -euo pipefail
cd "$(dirname "$0")"

keep=false
if [[ "${1:-}" == "--keep" ]]; then
    keep=true
    shift
fi
seconds="${1:-60}"
shift || true
all_targets=(csv keras-history hf-state notebook tensorboard console)
if (( $# > 0 )); then targets=("$@"); else targets=("${all_targets[@]}"); fi

# The sanitizer flags apply to every Swift target of the build, the LossLens layers included, so the
# parsers are instrumented for coverage. Products are built one by one: building everything
# would also link the main package's losslens executable with libFuzzer, which fails.
scratch_build=$(mktemp)
trap 'rm -f "$scratch_build"' EXIT
start=$(date +%s)
for target in "${targets[@]}"; do
    if ! swift build -c release -Xswiftc -sanitize=fuzzer,address --product "fuzz-$target" >"$scratch_build" 2>&1; then
        grep -v "Cannot export local symbol" "$scratch_build" | tail -30 >&2
        echo "fuzz: building fuzz-$target failed" >&2
        exit 2
    fi
done
echo "fuzz: built ${#targets[@]} target(s) in $(( $(date +%s) - start ))s"

mkdir -p artifacts
scratch=$(mktemp -d)
trap 'rm -rf "$scratch" "$scratch_build"' EXIT
failed=()
summary=()
for target in "${targets[@]}"; do
    if $keep; then corpus="corpus/$target"; else corpus="$scratch/$target"; fi
    mkdir -p "$corpus"
    log="$scratch/$target.log"
    echo "fuzz: $target for ${seconds}s"
    # Leak detection is off: Swift's runtime keeps metadata caches until exit, which is not a bug.
    # -timeout makes an input that takes over 10 s (a hang) a failure, like a crash.
    if ".build/release/fuzz-$target" "$corpus" "seeds/$target" \
        -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=4096 \
        -detect_leaks=0 -print_final_stats=1 -artifact_prefix="artifacts/$target-" >"$log" 2>&1; then
        status=ok
    else
        status=FAILED
        failed+=("$target")
        grep -E "ERROR|SUMMARY|Test unit written|Fatal error|==[0-9]+==" "$log" | head -20 >&2 || true
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    summary+=("$(printf '%-14s %-7s %8s runs %6s exec/s' "$target" "$status" "${runs:-?}" "${speed:-?}")")
done
printf '%s\n' "${summary[@]}"
if (( ${#failed[@]} > 0 )); then
    echo "fuzz: crashes in: ${failed[*]} (inputs in Fuzz/artifacts/)" >&2
    exit 1
fi
