#!/usr/bin/env bash
# Prepares build/web/public for the web page (served by `make web`, driven
# by the browser tests): the signed example, 600 more signed snapshots as a
# live stream (200 ms apart), and the exchange's published results for the
# example (its report as the native CLI computes it).
#   scripts/web_data.sh [BUILD_DIR of a native build, default build/gcc]
set -euo pipefail
cd "$(dirname "$0")/.."
native=${1:-build/gcc}
out=build/web/public
mkdir -p "$out"
"$native/native/vmargin_fixtures" examples/exchange "$out/signed" --stream 600 "$out/stream" >/dev/null
# The bundled example must be what is committed: the page shows those files.
diff -r -q "$out/signed" examples/signed >/dev/null
"$native/native/vmargin" eval --trust "$out/signed/trust.json" --params "$out/signed/risk_parameters.signed" \
  --snapshot "$out/signed/snapshot.signed" --statement "$out/signed/statement.signed" --format json |
  python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["report"], indent=1, sort_keys=True))' \
  >"$out/published.json"
echo "web data in $out: signed example, $(ls "$out/stream" | grep -c signed) stream snapshots, published.json"
