#!/usr/bin/env bash
# Builds libsodium 1.0.18 from Debian's patched source package (the same
# code, CVE-2025-69277 fix included, as the native libsodium-dev) for a
# target the archive has no binaries for, and caches it in build/deps:
#
#   scripts/build_libsodium.sh wasm      wasm32, Emscripten  -> build/deps/libsodium-wasm
#   scripts/build_libsodium.sh aarch64   aarch64-linux-gnu   -> build/deps/libsodium-aarch64
#
# Idempotent: does nothing when the cached build exists. About two minutes
# per target on two cores. Recipe: ../shared/TOOLCHAIN.md.
set -euo pipefail

target=${1:?usage: build_libsodium.sh wasm|aarch64}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
deps=${VMARGIN_DEPS_DIR:-$root/build/deps}
dest=$deps/libsodium-$target
stamp=$dest/.vmargin-built

log() { printf '[libsodium-%s] %s\n' "$target" "$*" >&2; }
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

# One pristine copy per target: an in-tree configure for one target would
# break the other's.
tree=$deps/libsodium-build-$target
rm -rf "$tree"
cp -a "$src" "$tree"
export NODE_PATH=/usr/share/nodejs
flags=(--enable-minimal --disable-shared --without-pthreads --disable-ssp --disable-asm --disable-pie --prefix="$dest")
log "building in $tree (about two minutes on two cores)"
(
  cd "$tree"
  # A tree once built in place (older versions of this script) holds objects
  # of another target: clean them out first.
  if [ -f Makefile ]; then make distclean >/dev/null 2>&1 || true; fi
  [ -f configure ] || ./autogen.sh -s >/dev/null 2>&1
  case "$target" in
    wasm)
      emconfigure ./configure --host=wasm32-unknown-emscripten "${flags[@]}" >/dev/null
      emmake make -j"$(nproc)" >/dev/null 2>&1
      ;;
    aarch64)
      ./configure --host=aarch64-linux-gnu CC=aarch64-linux-gnu-gcc "${flags[@]}" >/dev/null
      make -j"$(nproc)" >/dev/null 2>&1
      ;;
    *) log "unknown target $target"; exit 2 ;;
  esac
  make install >/dev/null
)
rm -rf "$tree"
# Record the package version that went in, so a cache from another source shows.
dpkg-parsechangelog -l "$src/debian/changelog" -S Version >"$stamp"
log "installed to $dest ($(cat "$stamp"))"
