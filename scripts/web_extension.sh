#!/usr/bin/env bash
# Assembles the unpacked MV3 extension in build/web/extension: web/extension/
# plus the shared risk read-outs (web/src/risk.js), the npm package
# (build/wasm/package) and the signed example.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/web/extension
rm -rf "$out"
mkdir -p "$out/vmargin" "$out/data"
cp -r web/extension/. "$out/"
cp web/src/risk.js "$out/"
cp build/wasm/package/{browser.mjs,api.mjs,vmargin.browser.mjs,vmargin.wasm} "$out/vmargin/"
cp examples/signed/{trust.json,risk_parameters.signed,snapshot.signed,statement.signed} "$out/data/"
echo "unpacked extension in $out (load it with chrome://extensions, developer mode, Load unpacked)"
