# The determinism guard: fails when a library under core/ could produce a
# result that differs between targets.
#   1. no source anywhere under core/ (the pure core, the codec and signing:
#      all of them feed results) names float, double, libm, unordered
#      hashing, random numbers or clocks (what each layer may include
#      otherwise is scripts/check_layers.py's business);
#   2. the pure core's library references no libm function, and 3. for a
#      wasm build, none of its objects holds an f32./f64. instruction. The
#      edge libraries are held to rule 1 only: they instantiate
#      nlohmann/json's number parser and printer (strtod, ldexp in an
#      unoptimised build), whose doubles the strict reader rejects before
#      any value is used (spec §2: numbers with a fraction or an exponent
#      are wrong_type).
# Usage: check_determinism.sh native|wasm <core source dir> <nm> <core lib.a> [edge lib.a...]
set -euo pipefail
kind=$1
src=$2
nm_tool=${3:-nm}
shift 3
libs=("$@")
core_lib=$1
fail=0

# Comments and string literals may say "double" (an error message naming a
# JSON double, say); code may not.
hits=$(grep -rnE '\b(float|double|long double)\b|#include *<(cmath|math\.h|random|chrono)>|std::(hash|unordered_|random_device|chrono)' \
  "$src" --include='*.hpp' --include='*.cpp' --include='*.h' |
  grep -vE '^\S+:\s*//|//.*\b(float|double)\b|"[^"]*\b(float|double)\b[^"]*"' || true)
if [ -n "$hits" ]; then
  echo "core/ mentions floating point, libm, hashing, random numbers or clocks:"
  echo "$hits"
  fail=1
fi

[ "$kind" = wasm ] && nm_tool=$(command -v llvm-nm-14 || command -v llvm-nm || command -v emnm)
libm='^(sqrt|sqrtf|sqrtl|cbrt|exp|exp2|expm1|log|log2|log10|log1p|pow|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|erf|erfc|lgamma|tgamma|floor|ceil|round|lround|llround|trunc|fmod|remainder|fma|fmin|fmax|hypot|ldexp|frexp|modf|nearbyint|rint|lrint|llrint)[fl]?$'
undefined=$("$nm_tool" -u "$core_lib" 2>/dev/null | awk '{print $NF}' | sort -u)
bad=$(echo "$undefined" | grep -E "$libm" || true)
if [ -n "$bad" ]; then
  echo "the pure core references libm functions:"
  echo "$bad"
  fail=1
fi

if [ "$kind" = wasm ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  count=0
  (cd "$tmp" && ar x "$core_lib")
  for obj in "$tmp"/*.o; do
    count=$((count + 1))
    ops=$(wasm-objdump -d "$obj" | grep -cE '\bf(32|64)\.' || true)
    if [ "$ops" != 0 ]; then
      echo "$(basename "$obj") contains $ops floating-point instructions:"
      wasm-objdump -d "$obj" | grep -E '\bf(32|64)\.' | head -5
      fail=1
    fi
  done
  [ "$count" -gt 0 ] || { echo "no objects found in $core_lib"; fail=1; }
  echo "checked $count wasm objects for f32./f64. instructions"
fi

[ $fail = 0 ] && echo "determinism guard: core/ is free of floating point and libm (${#libs[@]} libraries)"
exit $fail
