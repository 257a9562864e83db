#!/usr/bin/env bash
# `make bench`: the native Google Benchmark suite (g++ Release with LTO), then
# the portable harness natively and as wasm in Node (same code, so the ratio
# is the cost of WebAssembly), then the JS API of the wasm module in Node,
# bulk verification, the Python module (bench/bench_python.py) and vmargin
# watch at exchange scale (bench/bench_watch.cpp, and the brute-force check).
# Extra arguments go to Google Benchmark (e.g. --benchmark_filter=FullReport).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
scripts/setup.sh wasm
configure_and_build bench
log "Google Benchmark (native, one core)"
build/bench/bench/vmargin_bench --benchmark_min_time=0.5 "$@"

log "portable harness: native vs wasm (Node $(node --version))"
{ build/bench/bench/vmargin_bench_portable; build/bench/bench/vmargin_bench_portable --signed=examples/signed
  build/bench/bench/vmargin_bench_portable --session=build/bench/session-fixtures; } \
  >build/bench/portable_native.tsv
configure_and_build wasm-bench
{ node bench/run_wasm_program.cjs build/wasm-bench/bench/vmargin_bench_portable.cjs
  node bench/run_wasm_program.cjs build/wasm-bench/bench/vmargin_bench_portable.cjs --signed=examples/signed
  node bench/run_wasm_program.cjs build/wasm-bench/bench/vmargin_bench_portable.cjs --session; } \
  >build/wasm-bench/portable_wasm.tsv
python3 - build/bench/portable_native.tsv build/wasm-bench/portable_wasm.tsv <<'PY'
import sys
native = dict((l.split("\t")[0], int(l.split("\t")[1])) for l in open(sys.argv[1]) if l.strip())
wasm = dict((l.split("\t")[0], int(l.split("\t")[1])) for l in open(sys.argv[2]) if l.strip())
print(f"{'case':<32}{'native us':>12}{'wasm us':>12}{'wasm/native':>13}")
for k in native:
    n, w = native[k], wasm.get(k)
    print(f"{k:<32}{n / 1000:>12.2f}{(w or 0) / 1000:>12.2f}{(w / n if w else 0):>13.2f}")
PY

configure_and_build wasm
log "the wasm module's JS API in Node (examples/exchange, 4 positions)"
node bench/bench_wasm_api.cjs build/wasm/wasm/vmargin.cjs examples/exchange
log "the npm package in Node: size, init, cold path, tick path"
node bench/bench_package.mjs build/wasm/package build/bench/session-fixtures
log "the npm package's market handle vs the stateless evaluate (10 perpetuals, 11 assets, 20 feeds)"
node bench/bench_market.mjs build/wasm/package

# Bulk verification: a generated batch (VMARGIN_BULK_ACCOUNTS, default
# 200,000 accounts of 5 positions, 0.01% tampered), verified on 1 and 2
# threads; peak memory from GNU time.
accounts=${VMARGIN_BULK_ACCOUNTS:-200000}
batch=build/bench/bulk-$accounts
if [ ! -f "$batch/published.jsonl" ]; then
  log "generating $accounts accounts for bulk verification"
  build/bench/native/vmargin_batch --exchange examples/exchange --out "$batch" --accounts "$accounts" \
    --tamper 100 --min-positions 5 --max-positions 5
fi
log "bulk verification: $accounts accounts, 5 positions each ($(du -sh "$batch" | cut -f1) of JSON Lines)"
for threads in 1 2; do
  /usr/bin/time -f "  peak memory %M KB" build/bench/native/vmargin verify --params "$batch/risk_parameters.json" \
    --prices "$batch/prices.json" --accounts "$batch/accounts.jsonl" --published "$batch/published.jsonl" \
    --threads "$threads" --out /dev/null --no-progress 2>&1 | grep -E "accounts,|peak" || true
done

# The Python face (Debian's /usr/bin/python3, the gcc build's module): one
# evaluate() against the native engine, threads, and bulk verification on a
# loopback Dask cluster (1 and 2 workers) against the CLI on one core.
[ -f build/gcc/CMakeCache.txt ] || cmake --preset gcc >/dev/null
cmake --build --preset gcc --target vmargin vmargin_batch vmargin_python >/dev/null
log "Python: evaluate() overhead, threads, Dask bulk verification (VMARGIN_PY_BULK_ACCOUNTS, default 50,000)"
PYTHONPATH=build/gcc/python /usr/bin/python3 bench/bench_python.py build/gcc "${VMARGIN_PY_BULK_ACCOUNTS:-50000}"

# vmargin watch (issue 13): a whole exchange per tick, and the incremental
# method against brute force at 10,000 accounts x 10,000 ticks (minutes).
log "watch: ${VMARGIN_WATCH_ACCOUNTS:-1000000} accounts x 5 positions over 20 feeds: load, one-feed and market-wide ticks"
build/bench/bench/vmargin_bench_watch --accounts "${VMARGIN_WATCH_ACCOUNTS:-1000000}" --ticks 50
cmake --build --preset gcc --target watch_equivalence_test >/dev/null
log "watch: incremental events against brute force, 10,000 accounts x 10,000 ticks (linear venue)"
build/gcc/tests/watch_equivalence_test --vmargin-examples=examples/exchange --vmargin-options=examples/options \
  --vmargin-watch-accounts=10000 --vmargin-watch-ticks=10000 -tc='*linear venue*' | grep -E "MESSAGE|test cases|Status"
