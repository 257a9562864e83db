#!/usr/bin/env bash
# `make bench`: builds the native benchmarks (Release, g++) and runs them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
scripts/setup.sh native
configure_and_build gcc
build/gcc/bench/vmargin_bench --benchmark_min_time=0.5 "$@"
