#!/usr/bin/env bash
# `make fuzz`: builds the libFuzzer targets (tests/fuzz, preset `fuzz`: clang,
# ASan and UBSan), writes the seed corpora from the vectors and examples
# (scripts/fuzz_corpus.py) and runs every target.
#
#   scripts/fuzz.sh            each target FUZZ_SECONDS (default 600) seconds; the corpus
#                              it grows is kept in build/fuzz/corpus/<target>
#   scripts/fuzz.sh --smoke    each target FUZZ_RUNS (default 3000) runs with a fixed seed
#                              over the seeds only, from the asan build (make test:
#                              deterministic, nothing kept)
#
# FUZZ_TARGETS="fuzz_evaluate fuzz_state" limits the run to those targets.
# Stops at the first crash, timeout, leak or violated invariant, with a
# non-zero status and the path of the reproducer (build/fuzz/crashes/):
#   build/fuzz/tests/fuzz/<target> <reproducer>   runs it again.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

mode=campaign
if [ "${1:-}" = "--smoke" ]; then mode=smoke; fi
seconds=${FUZZ_SECONDS:-600}
runs=${FUZZ_RUNS:-3000}

# Campaigns build the `fuzz` preset (the libraries instrumented for coverage);
# the smoke runs use the `asan` build that make test has already built (the
# targets instrumented, the libraries under ASan and UBSan like its tests).
preset=fuzz
if [ "$mode" = smoke ]; then preset=asan; fi
log "build: $preset"
( cd "$root" && configure_and_build "$preset" ) || exit 1
out=build/$preset
read -r -a targets <<<"${FUZZ_TARGETS:-$(tr ';' ' ' <"$out/fuzz_targets.txt")}"

# The seeds, written again when a vector, an example or the generator changed
# (thousands of small files: slow on some disks).
stamp="$out/seeds/vmargin.dict"
if [ ! -f "$stamp" ] || [ -n "$(find tests/vectors examples scripts/fuzz_corpus.py -newer "$stamp" -print -quit)" ]; then
  rm -rf "$out/seeds"
  python3 scripts/fuzz_corpus.py "$out/seeds" >"$out/seeds.log"
fi
mkdir -p "$out/crashes"

# The options every run shares: the dictionary, a per-input time limit (an
# evaluation takes milliseconds; a slow one is a finding), reproducers under crashes/.
common=(-dict="$out/seeds/vmargin.dict" -timeout=60 -print_final_stats=1)

for target in "${targets[@]}"; do
  bin="$out/tests/fuzz/$target"
  log "$target ($mode)"
  if [ "$mode" = smoke ]; then
    # New inputs go to the first folder: a scratch one, so the run reads
    # exactly the seeds and leaves nothing behind.
    scratch=$(mktemp -d)
    set +e
    "$bin" "${common[@]}" -seed=1 -runs="$runs" -artifact_prefix="$out/crashes/$target-" \
      "$scratch" "$out/seeds/$target" >"$out/$target.log" 2>&1
    status=$?
    set -e
    rm -rf "$scratch"
  else
    mkdir -p "$out/corpus/$target"
    set +e
    "$bin" "${common[@]}" -max_total_time="$seconds" -artifact_prefix="$out/crashes/$target-" \
      "$out/corpus/$target" "$out/seeds/$target" >"$out/$target.log" 2>&1
    status=$?
    set -e
  fi
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$out/$target.log" |
    tr '\n' ' ' | sed 's/stat:://g; s/$/\n/' >&2 || true
  if [ "$status" != 0 ]; then
    grep -E 'ERROR|SUMMARY|invariant violated|runtime error' "$out/$target.log" | head -5 >&2 || true
    reproducer=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$out/$target.log" | tail -1)
    log "FAILED: $target (exit $status): reproducer ${reproducer:-none written}; log $out/$target.log"
    log "rerun: $out/tests/fuzz/$target ${reproducer:-<input>}"
    exit 1
  fi
done
log "fuzz ($mode): ${#targets[@]} targets, no crash ($(elapsed))"
