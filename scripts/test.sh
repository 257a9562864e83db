#!/usr/bin/env bash
# `make test`: installs what is missing, builds every target and runs every
# test. Exit status 0 only when everything passed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

log "setup (installs only what is missing)"
scripts/setup.sh test

presets=(gcc clang wasm aarch64 asan)
for preset in "${presets[@]}"; do
  log "build: $preset"
  ( cd "$root" && configure_and_build "$preset" ) || exit 1
done

failed=()
for preset in "${presets[@]}"; do
  log "ctest: $preset"
  if ! ctest --preset "$preset" --test-dir "build/$preset" 2>&1 | tee "build/$preset/ctest.log" | grep -E 'tests passed|tests failed|\*\*\*|Failed'; then :; fi
  grep -q '100% tests passed' "build/$preset/ctest.log" || failed+=("ctest:$preset")
done

log "fuzz: every libFuzzer target, a fixed number of runs with a fixed seed over its seeds"
# Builds the fuzz preset (the libraries and tests/fuzz only) and runs each
# target FUZZ_RUNS times (scripts/fuzz.sh --smoke); a crash, leak, UB or a
# violated invariant fails the step and names the reproducer.
scripts/fuzz.sh --smoke || failed+=("fuzz")

log "independent checker: every vector recomputed from docs/spec.md with exact rationals"
python3 tests/independent/check_vectors.py tests/vectors tests/vectors_pending || failed+=("independent-checker")
python3 tests/independent/make_vectors.py --check >/dev/null || failed+=("vectors-up-to-date")

log "cross-target: every vector through every runner, compared byte for byte"
python3 tests/conformance/cross_target.py --vectors tests/vectors --work build/cross \
  --cli gcc-cli=build/gcc/native/vmargin --cli clang-cli=build/clang/native/vmargin \
  --cli "aarch64-cli=qemu-aarch64-static -L /usr/aarch64-linux-gnu build/aarch64/native/vmargin" \
  --wasm wasm-node=build/wasm/wasm/vmargin.cjs \
  --package npm-package=build/wasm/package \
  --python python=build/gcc/python \
  --doctest gcc-doctest=build/gcc/conformance-output.jsonl \
  --doctest clang-doctest=build/clang/conformance-output.jsonl \
  --doctest wasm-doctest=build/wasm/conformance-output.jsonl \
  --doctest aarch64-doctest=build/aarch64/conformance-output.jsonl \
  --doctest asan-doctest=build/asan/conformance-output.jsonl || failed+=("cross-target")

log "signed example: fixtures up to date, every face byte-identical"
tests/conformance/signed_cross_target.sh build/cross/signed || failed+=("signed-cross-target")

log "web: the page and the extension in Chromium (playwright-core)"
if scripts/web_build.sh >build/web-build.log 2>&1; then
  node tests/web/web_test.mjs . || failed+=("web")
else
  cat build/web-build.log
  failed+=("web-build")
fi

log "docs: error catalogue and README"
python3 scripts/check_docs.py --cli build/gcc/native/vmargin || failed+=("docs")

log "format: clang-format over tracked C++ files"
# The output, not the exit status, decides: under pipefail a status test of
# the pipeline reported "clean" whatever clang-format said.
format_report=$(git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' |
  xargs clang-format --dry-run -Werror 2>&1 || true)
if [ -z "$format_report" ]; then
  echo "clang-format: clean"
else
  printf '%s\n' "$format_report" | head -20
  failed+=("clang-format")
fi

echo
if [ ${#failed[@]} -gt 0 ]; then
  log "FAILED: ${failed[*]} ($(elapsed))"
  exit 1
fi
log "all tests passed: ${presets[*]}, independent checker, cross-target, format ($(elapsed))"
