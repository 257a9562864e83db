#!/usr/bin/env bash
# Installs what vmargin needs on a Debian 12 machine. Idempotent: every step
# checks first and does nothing when its result is already there.
#
#   scripts/setup.sh native   compilers, cmake, libsodium, nlohmann/json, doctest, benchmark, and for
#                             the Python module (gcc preset): pybind11, Dask, distributed, mypy
#   scripts/setup.sh wasm     native + Emscripten, wabt, libsodium built for wasm32 (make demo)
#   scripts/setup.sh web      wasm + the JS tools of package.json (Vite, TypeScript, ...) (make web)
#   scripts/setup.sh test     web + the aarch64 cross-compiler, qemu-user and libsodium for aarch64,
#                             Chromium for the browser tests (make test)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
level=${1:-wasm}

log() { printf '[setup] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# libnats-dev and nats-server: vmargin watch --nats and its sharded test (native builds).
native_pkgs=(cmake make g++ clang clang-tidy lld pkg-config libsodium-dev nlohmann-json3-dev libcli11-dev doctest-dev libbenchmark-dev python3 python3-mpmath time libnats-dev nats-server)
# Debian's own Python packages, for /usr/bin/python3 (python/CMakeLists.txt says
# why that interpreter and not a `python3` earlier on PATH).
python_pkgs=(python3-dev python3-pybind11 python3-dask python3-distributed mypy)
wasm_pkgs=(emscripten wabt nodejs dpkg-dev autoconf automake libtool)
test_pkgs=(g++-aarch64-linux-gnu qemu-user-static chromium fonts-dejavu-core)

missing_pkgs() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

apt_updated=0
apt_install() {
  local missing
  missing=$(missing_pkgs "$@")
  [ -z "$missing" ] && return 0
  log "installing with apt: $(echo $missing | tr '\n' ' ')"
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  # shellcheck disable=SC2086
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# The JS tools of package.json (TypeScript for the package's types), from
# package-lock.json: npm ci only when node_modules is missing or stale.
npm_tools() {
  # This machine's nodejs package (NodeSource) carries npm; Debian's own
  # nodejs does not, and then its npm package is needed.
  command -v npm >/dev/null || apt_install npm
  local stamp="$root/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$root/package-lock.json" ]; then return 0; fi
  log "installing JS tools with npm ci"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

case "$level" in
  native) apt_install "${native_pkgs[@]}" "${python_pkgs[@]}" ;;
  wasm)
    apt_install "${native_pkgs[@]}" "${python_pkgs[@]}" "${wasm_pkgs[@]}"
    "$here/build_libsodium.sh" wasm
    ;;
  web)
    apt_install "${native_pkgs[@]}" "${python_pkgs[@]}" "${wasm_pkgs[@]}"
    "$here/build_libsodium.sh" wasm
    npm_tools
    ;;
  test)
    apt_install "${native_pkgs[@]}" "${python_pkgs[@]}" "${wasm_pkgs[@]}" "${test_pkgs[@]}"
    "$here/build_libsodium.sh" wasm
    "$here/build_libsodium.sh" aarch64
    npm_tools
    ;;
  *) echo "usage: $0 native|wasm|web|test" >&2; exit 2 ;;
esac
