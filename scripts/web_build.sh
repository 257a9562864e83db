#!/usr/bin/env bash
# Builds the web page (build/web/dist) and the unpacked extension
# (build/web/extension) from the npm package and the native tools, which
# must be built (make test, make web). Prints the page's bundle size.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/web_data.sh
node_modules/.bin/vite build --config web/vite.config.mjs --logLevel warn
scripts/web_extension.sh
python3 - <<'PY'
import gzip, pathlib
files = [p for p in pathlib.Path("build/web/dist").rglob("*") if p.is_file() and p.suffix in (".html", ".js", ".css", ".wasm")]
raw = sum(p.stat().st_size for p in files)
gz = sum(len(gzip.compress(p.read_bytes(), 9)) for p in files)
print(f"page bundle (html, js, css, wasm; without the example data): {raw / 1024:.1f} KiB, {gz / 1024:.1f} KiB gzip")
PY
