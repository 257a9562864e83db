#!/usr/bin/env bash
# The determinism guard: fails when vmargin::core could produce a result
# that differs between targets.
#   1. no source of the pure core (core/, outside core/codec) names float,
#      double, libm, I/O streams, JSON or libsodium; and the edge libraries
#      under core/codec (the JSON codec and signing), which feed results
#      too, name no float, double, libm or unordered hashing;
#   2. the built core library references no libm function;
#   3. for a wasm build, no f32./f64. instruction in the core's objects.
# Usage: check_determinism.sh native|wasm <libvmargin_core.a> <core source dir> [nm]
set -euo pipefail
kind=$1
lib=$2
src=$3
nm_tool=${4:-nm}
fail=0

hits=$(grep -rnE '\b(float|double|long double)\b|#include *<(cmath|math\.h|iostream|fstream|sstream|cstdio|random|chrono|nlohmann/|sodium)|std::(hash|unordered_)' \
  "$src" --include='*.hpp' --include='*.cpp' --include='*.h' | grep -v "^$src/codec/" |
  grep -vE '//.*\b(float|double)\b|^\S+:\s*//' || true)
if [ -n "$hits" ]; then
  echo "core/ mentions floating point, libm, I/O, hashing, JSON or libsodium:"
  echo "$hits"
  fail=1
fi
edge=$(grep -rnE '\b(float|double|long double)\b|#include *<(cmath|math\.h)>|std::(hash|unordered_)' \
  "$src/codec" --include='*.hpp' --include='*.cpp' |
  grep -vE '//.*\b(float|double)\b|^\S+:\s*//|"[^"]*\b(float|double)\b[^"]*"' || true)
if [ -n "$edge" ]; then
  echo "core/codec mentions floating point, libm or unordered hashing:"
  echo "$edge"
  fail=1
fi

[ "$kind" = wasm ] && nm_tool=$(command -v llvm-nm-14 || command -v llvm-nm || command -v emnm)
libm='^(sqrt|sqrtf|sqrtl|cbrt|exp|exp2|expm1|log|log2|log10|log1p|pow|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|erf|erfc|lgamma|tgamma|floor|ceil|round|lround|llround|trunc|fmod|remainder|fma|fmin|fmax|hypot|ldexp|frexp|modf|nearbyint|rint|lrint|llrint)[fl]?$'
undefined=$("$nm_tool" -u "$lib" 2>/dev/null | awk '{print $NF}' | sort -u)
bad=$(echo "$undefined" | grep -E "$libm" || true)
if [ -n "$bad" ]; then
  echo "the core references libm functions:"
  echo "$bad"
  fail=1
fi

if [ "$kind" = wasm ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && ar x "$lib")
  count=0
  for obj in "$tmp"/*.o; do
    count=$((count + 1))
    ops=$(wasm-objdump -d "$obj" | grep -cE '\bf(32|64)\.' || true)
    if [ "$ops" != 0 ]; then
      echo "$(basename "$obj") contains $ops floating-point instructions:"
      wasm-objdump -d "$obj" | grep -E '\bf(32|64)\.' | head -5
      fail=1
    fi
  done
  [ "$count" -gt 0 ] || { echo "no objects found in $lib"; fail=1; }
  echo "checked $count wasm objects for f32./f64. instructions"
fi

[ $fail = 0 ] && echo "determinism guard: core is free of floating point and libm ($lib)"
exit $fail
