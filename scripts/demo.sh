#!/usr/bin/env bash
# `make demo`: installs what is missing, builds the native CLI and the wasm
# module, then: verifies the bundled signed example (risk parameters, oracle
# snapshot, account statement) against its trust store, aggregates the marks
# and evaluates the account, natively and in wasm (byte-identical); then a
# what-if shock and a pre-trade query on the same example.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh

scripts/setup.sh wasm
log "build: gcc (native CLI) and wasm (module)"
configure_and_build gcc
configure_and_build wasm

cli=build/gcc/native/vmargin
signed=examples/signed
verify=(--trust $signed/trust.json --params $signed/risk_parameters.signed --snapshot $signed/snapshot.signed
        --statement $signed/statement.signed)
echo
log "signed inputs: vmargin eval ${verify[*]}"
"$cli" eval "${verify[@]}" --format table
native=$("$cli" eval "${verify[@]}" --format json)

echo
log "the same verification and report through the wasm module in Node (verifyEvaluate)"
wasm=$(node scripts/demo_wasm.cjs build/wasm/wasm/vmargin.cjs $signed)
if [ "$native" = "$wasm" ]; then
  echo "native and wasm outputs are byte-identical ($(printf %s "$native" | wc -c) bytes, sha256 $(printf %s "$native" | sha256sum | cut -c1-16)...)"
else
  echo "MISMATCH between native and wasm:"; echo "$wasm"; exit 1
fi

ex=examples/exchange  # the same parameters and account as plain documents, for what-if
docs=(--params $ex/risk_parameters.json --prices $ex/prices.json --account $ex/account.json)
echo
log "what if BTC falls 27.5%: vmargin eval ${docs[*]} --shock BTC-USD=-27.5%"
"$cli" eval "${docs[@]}" --shock BTC-USD=-27.5% --format table | sed -n '/^Cross/,/^$/p'
log "pre-trade: vmargin max-order ... --market ETH-PERP --side buy"
"$cli" max-order "${docs[@]}" --market ETH-PERP --side buy --format table | head -1
