#!/usr/bin/env bash
# Runs each libFuzzer target of a JSQA_FUZZ build for a bounded time
# (`make fuzz`; README.md here). Usage: run_fuzzers.sh BUILD_DIR SECONDS
#
# Each target starts from a scratch copy of its seed corpus and checked-in
# crash inputs (tests/fuzz/corpus/<target>/, tests/fuzz/regressions/<target>/),
# so the checked-in files never change; fuzz_shard_reader also gets shards
# freshly written by fuzz_shard_seeds. Anything a target finds (crash,
# sanitizer report, leak, timeout, out-of-memory) is kept under
# BUILD_DIR/fuzz-runs/<target>/artifacts/ and fails the run, after every
# target has had its turn.
set -uo pipefail
build=${1:?usage: run_fuzzers.sh BUILD_DIR SECONDS}
seconds=${2:?usage: run_fuzzers.sh BUILD_DIR SECONDS}
source_dir=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$build" && pwd)
runs=$build/fuzz-runs
targets=(fuzz_config fuzz_nisqa_csv fuzz_layouts fuzz_shard_reader fuzz_listen_requests)

# halt_on_error + the targets' own invariants: the first problem stops a
# target. Whole malloc stacks only where damaged HDF5 files can be met
# (see lsan.supp).
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$source_dir/lsan.supp:print_suppressions=0
base_asan=detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1

failed=()
for target in "${targets[@]}"; do
  binary=$build/tests/fuzz/$target
  [ -x "$binary" ] || { echo "run_fuzzers: $binary not built" >&2; exit 1; }
  dir=$runs/$target
  rm -rf "$dir"
  mkdir -p "$dir/corpus" "$dir/artifacts" "$dir/tmp"
  cp "$source_dir/corpus/$target/"* "$dir/corpus/"
  if [ -d "$source_dir/regressions/$target" ]; then
    cp "$source_dir/regressions/$target/"* "$dir/corpus/" 2>/dev/null || true
  fi
  options=()
  asan=$base_asan
  if [ "$target" = fuzz_shard_reader ]; then
    "$build/tests/fuzz/fuzz_shard_seeds" "$dir/corpus/written-now" || { echo "fuzz_shard_seeds failed" >&2; exit 1; }
    asan=$asan:fast_unwind_on_malloc=0
  else
    options+=(-max_len=8192)  # text: room for long names and many rows (default: the largest seed)
  fi
  echo "== $target: ${seconds}s from $(ls "$dir/corpus" | wc -l) inputs"
  # TMPDIR: the targets' scratch folders (left behind by a crash) stay here.
  if ! (cd "$dir" && TMPDIR=$dir/tmp ASAN_OPTIONS=$asan "$binary" -max_total_time="$seconds" -timeout=10 \
         -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$dir/artifacts/" \
         "${options[@]}" "$dir/corpus" >"$dir/log.txt" 2>&1); then
    failed+=("$target")
    echo "!! $target FAILED; its log: $dir/log.txt; the input: $(ls "$dir/artifacts/" | sed "s|^|$dir/artifacts/|")"
    grep -E "ERROR|SUMMARY|invariant|terminate|what\(\)" "$dir/log.txt" | head -20
  else
    grep -E "^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)" "$dir/log.txt" | tr '\n' ' '
    echo
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "make fuzz: ${failed[*]} found a problem. Fix it, then check the input in as" \
       "tests/fuzz/regressions/<target>/<name> so that every build replays it (README.md here)." >&2
  exit 1
fi
echo "make fuzz: ${#targets[@]} targets, ${seconds}s each, nothing found"
