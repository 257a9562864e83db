#!/usr/bin/env bash
# Builds libsodium 1.0.18 for wasm32 from Debian's patched source package
# (the same code, CVE-2025-69277 fix included, as the native libsodium-dev),
# and caches the result in build/deps/libsodium-wasm. See docs/building.md.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
deps=${VMARGIN_DEPS_DIR:-$root/build/deps}
dest=$deps/libsodium-wasm
stamp=$dest/.vmargin-built

log() { printf '[libsodium-wasm] %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if [ -f "$stamp" ] && [ -f "$dest/lib/libsodium.a" ]; then
  exit 0
fi

# Source packages come from the same archive as the binaries (deb-src type).
if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
  log "enabling Debian source packages"
  sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
    as_root tee /etc/apt/sources.list.d/debian-src.sources >/dev/null
  as_root apt-get update -qq
fi

work=$deps/libsodium-src
mkdir -p "$work"
src=$(find "$work" -maxdepth 1 -type d -name 'libsodium-1.0.18*' | head -n1)
if [ -z "$src" ]; then
  log "fetching Debian's libsodium source package"
  (cd "$work" && apt-get source -qq libsodium >/dev/null 2>&1) || {
    log "apt-get source libsodium failed"; exit 1; }
  src=$(find "$work" -maxdepth 1 -type d -name 'libsodium-1.0.18*' | head -n1)
fi
[ -n "$src" ] || { log "no unpacked libsodium-1.0.18 tree in $work"; exit 1; }

export NODE_PATH=/usr/share/nodejs
log "building in $src (about two minutes on two cores)"
(
  cd "$src"
  [ -f configure ] || ./autogen.sh -s >/dev/null 2>&1
  emconfigure ./configure --host=wasm32-unknown-emscripten --enable-minimal \
    --disable-shared --without-pthreads --disable-ssp --disable-asm --disable-pie \
    --prefix="$dest" >/dev/null
  emmake make -j"$(nproc)" >/dev/null 2>&1
  make install >/dev/null
)
# Record the package version that went in, so a cache from another source shows.
dpkg-parsechangelog -l "$src/debian/changelog" -S Version >"$stamp"
log "installed to $dest ($(cat "$stamp"))"
