#!/usr/bin/env bash
# `make demo`: installs what is missing, builds the native CLI and the wasm
# module, then: verifies the bundled signed example (risk parameters, oracle
# snapshot, account statement) against its trust store, aggregates the marks
# and evaluates the account, natively and in wasm (byte-identical); then a
# what-if shock and a pre-trade query on the same example; an options book
# (Greeks, standard margin, boundaries both sides, vol and time what-ifs);
# a hedged book under standard and portfolio margin side by side.
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

# An options book: Greeks, standard margin with expiry netting, liquidation
# prices on both sides of the index, and what-ifs on volatility and time.
opt=examples/options
odocs=(--params $opt/risk_parameters.json --prices $opt/prices.json --account $opt/account.json)
echo
log "an options book (short straddle, wings, an isolated call, an inverse ETH call): vmargin eval ${odocs[*]}"
"$cli" eval "${odocs[@]}" --format table | sed -n '/^Cross/,/^Collateral/p'
mkdir -p build/demo
printf '{"volatility_shocks": {"BTC-USD": "15"}}\n' >build/demo/vol-up-15.json
log "what if BTC implied volatility rises 15 vol points: --scenario build/demo/vol-up-15.json"
"$cli" eval "${odocs[@]}" --scenario build/demo/vol-up-15.json --format table | sed -n '/^Cross/,/^$/p' | head -6
printf '{"days_forward": 7}\n' >build/demo/decay-7d.json
log "and a week of time decay: --scenario build/demo/decay-7d.json"
"$cli" eval "${odocs[@]}" --scenario build/demo/decay-7d.json --format table | sed -n '/^Cross/,/^$/p' | head -6
# The same hedged BTC book (the inverse ETH call left out: portfolio pools
# take linear markets only) under standard and portfolio margin.
python3 - "$opt" build/demo <<'PY'
import json, sys
src, out = sys.argv[1], sys.argv[2]
params = json.load(open(f"{src}/risk_parameters.json"))
params["portfolio_margin"] = {"BTC-USD": {
    "price_range": "0.16", "buckets": 4, "volatility_range_up": "0.5", "volatility_range_down": "0.25",
    "short_term_power": "0.3", "long_term_power": "0.13", "min_volatility_up": "0.5", "mm_factor": "0.8",
    "im_factor": "1", "option_contingency_rate": "0.01", "future_contingency_rate": "0.01",
    "collateral_offsets": True}}
json.dump(params, open(f"{out}/pm-params.json", "w"), indent=1)
account = json.load(open(f"{src}/account.json"))
account["positions"] = {k: v for k, v in account["positions"].items() if not k.startswith("ETH")}
json.dump(account, open(f"{out}/standard-account.json", "w"), indent=1)
account["margin_mode"] = "portfolio"
json.dump(account, open(f"{out}/portfolio-account.json", "w"), indent=1)
PY
for mode in standard portfolio; do
  log "the hedged BTC book under $mode margin: --params build/demo/pm-params.json --account build/demo/$mode-account.json"
  "$cli" eval --params build/demo/pm-params.json --prices $opt/prices.json --account build/demo/$mode-account.json \
    --format table | sed -n '/^Cross/,/^$/p' | grep -E 'Cross|status|maintenance margin|initial margin|free collateral'
done
log "the portfolio-margin scenario table (23 scenarios: spot move x volatility)"
"$cli" eval --params build/demo/pm-params.json --prices $opt/prices.json --account build/demo/portfolio-account.json \
  --format table | sed -n '/^Portfolio margin/,/^$/p'
native_opt=$("$cli" eval "${odocs[@]}" --format json)
wasm_opt=$(node scripts/demo_wasm.cjs build/wasm/wasm/vmargin.cjs --plain $opt)
if [ "$native_opt" = "$wasm_opt" ]; then
  echo "options report: native and wasm byte-identical ($(printf %s "$native_opt" | wc -c) bytes)"
else
  echo "MISMATCH between native and wasm on the options book:"; echo "$wasm_opt"; exit 1
fi

# An auditor's cross-check: the exchange's published report for this account
# against the recomputed one, then a generated batch verified in bulk.
mkdir -p build/demo
printf %s "$native" | python3 -c 'import json, sys; r = json.load(sys.stdin)["report"]; r["cross"]["maintenance_margin"] = "2200"; print(json.dumps(r))' \
  >build/demo/published-tampered.json
echo
log "verify a published report (one field tampered): vmargin verify ${verify[*]} --published ..."
"$cli" verify "${verify[@]}" --published build/demo/published-tampered.json --format table || true
log "bulk: 20,000 generated accounts (1-20 positions), 0.5% of published reports tampered"
build/gcc/native/vmargin_batch --exchange $ex --out build/demo/batch --accounts 20000 --tamper 5000 >/dev/null
"$cli" verify --params build/demo/batch/risk_parameters.json --prices build/demo/batch/prices.json \
  --accounts build/demo/batch/accounts.jsonl --published build/demo/batch/published.jsonl \
  --out build/demo/batch/mismatches.jsonl --no-progress 2>&1 | head -6 || true
echo "  ... (summary by field abridged)"
echo "(differences, one JSON line per account: build/demo/batch/mismatches.jsonl)"

# A keeper's live run: a whole exchange revalued on every signed snapshot.
echo
log "watch: 100,000 signed statements, 100 signed snapshots, the market crashing from tick 60 and the keeper killed there"
live=build/demo/live
rm -rf "$live" && mkdir -p "$live"
build/gcc/native/vmargin_batch --exchange $ex --out "$live/batch" --accounts 100000 --alt-markets 0 --max-positions 4 >/dev/null
build/gcc/native/vmargin_fixtures --statements "$live/batch/accounts.jsonl" "$live/statements.jsonl" >/dev/null
build/gcc/native/vmargin_fixtures $ex "$live/signed" --stream 99 "$live/signed/stream" --crash 59 >/dev/null
{ cat "$live/signed/snapshot.signed"; echo
  for f in "$live"/signed/stream/snapshot-*.signed; do cat "$f"; echo; done; } >"$live/stream.jsonl"
python3 scripts/demo_watch.py "$cli" "$live"
