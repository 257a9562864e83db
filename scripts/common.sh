# Shared by the scripts: paths, logging, timing.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export NODE_PATH=/usr/share/nodejs  # Emscripten's JS optimizer needs Debian's acorn (TOOLCHAIN.md)
step_start=$(date +%s)

if [ -t 2 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
# Each line carries the seconds since the script started, so a slow phase shows in the CI log.
log() { printf '%s[%s %4ss]%s %s\n' "$bold" "$(basename "$0" .sh)" "$(($(date +%s) - step_start))" "$plain" "$*" >&2; }
elapsed() { echo "$(($(date +%s) - step_start)) s"; }

# configure_and_build PRESET: configure once, then build (incremental).
configure_and_build() {
  local preset=$1
  if [ ! -f "$root/build/$preset/CMakeCache.txt" ]; then
    cmake --preset "$preset" -S "$root" >/dev/null
  fi
  cmake --build --preset "$preset" 2>&1 | grep -vE '^\[ *[0-9]+%\]|^gmake|^make' || true
  [ "${PIPESTATUS[0]}" = 0 ] || { log "build of $preset failed"; return 1; }
}
