#!/usr/bin/env bash
# `make web`: sets up, builds, and serves the web page locally with Vite
# (http://localhost:5173/). The unpacked wallet extension is in
# build/web/extension.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/common.sh
scripts/setup.sh web
configure_and_build gcc
configure_and_build wasm
scripts/web_build.sh
log "serving the page: open http://localhost:5173/ (Ctrl-C stops)"
exec node_modules/.bin/vite --config web/vite.config.mjs --host 127.0.0.1
