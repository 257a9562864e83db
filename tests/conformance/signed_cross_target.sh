#!/usr/bin/env bash
# The signed example (examples/signed/) through every face: the native CLI of
# each build (vmargin eval --trust, aarch64 under qemu) and the wasm module in
# Node (verifyEvaluate). The outputs must be byte-identical. Also checks that
# the committed example files are exactly what the fixture generator writes.
# Usage: signed_cross_target.sh WORK_DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${1:?work dir}
mkdir -p "$work"
ex=examples/signed

build/gcc/native/vmargin_fixtures examples/exchange "$work/fixtures" >/dev/null
for f in trust.json risk_parameters.signed snapshot.signed statement.signed; do
  cmp -s "$ex/$f" "$work/fixtures/$f" || { echo "examples/signed/$f is not what vmargin_fixtures writes (make fixtures)"; exit 1; }
done
echo "signed fixtures: examples/signed matches the generator byte for byte"

args=(eval --trust $ex/trust.json --params $ex/risk_parameters.signed --snapshot $ex/snapshot.signed
      --statement $ex/statement.signed --format json)
build/gcc/native/vmargin "${args[@]}" >"$work/gcc.json"
build/clang/native/vmargin "${args[@]}" >"$work/clang.json"
qemu-aarch64-static -L /usr/aarch64-linux-gnu build/aarch64/native/vmargin "${args[@]}" >"$work/aarch64.json"
node -e '
const fs = require("fs");
const create = require(process.argv[1]);
create({ wasmBinary: fs.readFileSync(process.argv[1].replace(/\.cjs$/, ".wasm")) }).then((vm) => {
  const r = (f) => fs.readFileSync(process.argv[2] + "/" + f, "utf8");
  process.stdout.write(vm.verifyEvaluate(r("trust.json"), "", r("risk_parameters.signed"), r("snapshot.signed"),
                                         r("statement.signed")) + "\n");
});' "$PWD/build/wasm/wasm/vmargin.cjs" "$ex" >"$work/wasm.json"
grep -q '"verification"' "$work/gcc.json" || { echo "the native CLI did not verify the example"; exit 1; }
for t in clang aarch64 wasm; do
  cmp -s "$work/gcc.json" "$work/$t.json" || { echo "signed example: $t differs from gcc"; exit 1; }
done
echo "signed example: gcc, clang, aarch64 and wasm outputs byte-identical ($(wc -c <"$work/gcc.json") bytes)"
