#!/usr/bin/env bash
# `make demo`: installs what is missing, builds the native CLI and the wasm
# module, and evaluates the bundled example account through both.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

scripts/setup.sh wasm
log "build: gcc (native CLI) and wasm (module)"
configure_and_build gcc
configure_and_build wasm

ex=examples/exchange
cli=build/gcc/native/vmargin
docs=(--params $ex/risk_parameters.json --prices $ex/prices.json --account $ex/account.json)
echo
log "native CLI: vmargin eval ${docs[*]}"
"$cli" eval "${docs[@]}" --format table
native=$("$cli" eval "${docs[@]}" --format json)
echo
log "what if BTC falls 27.5%: vmargin eval ... --shock BTC-USD=-27.5% (the cross pool becomes liquidatable)"
"$cli" eval "${docs[@]}" --shock BTC-USD=-27.5% --format table | sed -n '/^Cross/,/^$/p' 
echo
log "pre-trade: vmargin max-order ... --market ETH-PERP --side buy"
"$cli" max-order "${docs[@]}" --market ETH-PERP --side buy --format table | head -3
echo
log "the same report through the wasm module in Node"
wasm=$(node scripts/demo_wasm.cjs build/wasm/wasm/vmargin.cjs $ex/risk_parameters.json $ex/prices.json $ex/account.json)
echo "$native"
if [ "$native" = "$wasm" ]; then
  echo "native and wasm reports are byte-identical ($(printf %s "$native" | wc -c) bytes, sha256 $(printf %s "$native" | sha256sum | cut -c1-16)...)"
else
  echo "MISMATCH between native and wasm:"; echo "$wasm"; exit 1
fi
