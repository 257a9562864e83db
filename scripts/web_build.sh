#!/usr/bin/env bash
# Builds the web page (build/web/dist) and the unpacked extension
# (build/web/extension) from the npm package and the native tools, which
# must be built (make test, make web). Prints the page's bundle size (gzip),
# with the engine wasm and the lazily loaded charts on their own.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/web_data.sh
node_modules/.bin/vite build --config web/vite.config.mjs --logLevel warn
scripts/web_extension.sh
python3 - <<'PY'
import gzip, pathlib
dist = pathlib.Path("build/web/dist")
files = [p for p in dist.rglob("*") if p.is_file() and p.suffix in (".html", ".js", ".css", ".wasm")]
gz = lambda ps: sum(len(gzip.compress(p.read_bytes(), 9)) for p in ps) / 1024
raw = lambda ps: sum(p.stat().st_size for p in ps) / 1024
page = [p for p in files if not p.name.startswith("conformance")]
harness = [p for p in files if p.name.startswith("conformance")]
wasm = [p for p in files if p.suffix == ".wasm"]
charts = [p for p in files if p.name.startswith("lightweight-charts")]
print(f"page bundle (html, js, css, wasm; without the example data and the conformance harness): {raw(page):.1f} KiB, {gz(page):.1f} KiB gzip"
      f" (engine wasm {gz(wasm):.1f} KiB gzip, charts {gz(charts):.1f} KiB gzip loaded after the first render; target <= 300 KiB gzip)")
print(f"conformance harness page (test only): {gz(harness):.1f} KiB gzip")
PY
