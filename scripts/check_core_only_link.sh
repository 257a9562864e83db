#!/usr/bin/env bash
# check_core_only_link.sh NM EXECUTABLE...
#
# Fails when a test executable of the pure core (vmargin_add_test CORE_ONLY)
# holds a symbol of nlohmann/json or libsodium, or depends on a shared
# libsodium: such a test would no longer build or run without them.
set -euo pipefail
nm_tool=$1
shift
forbidden='nlohmann|sodium|crypto_sign|crypto_generichash'
status=0
for exe in "$@"; do
  symbols=$("$nm_tool" -C "$exe")
  # The check must see symbols at all (an empty listing would pass anything).
  if ! grep -E 'vmargin::market::' <<<"$symbols" >/dev/null; then
    echo "$exe: no vmargin::market symbol found; is $nm_tool reading it?"
    status=1
  fi
  if grep -E "$forbidden" <<<"$symbols" >/dev/null; then
    echo "$exe: links nlohmann/json or libsodium, e.g.:"
    grep -E -m 3 "$forbidden" <<<"$symbols"
    status=1
  fi
  if command -v ldd >/dev/null && ldd "$exe" 2>/dev/null | grep sodium >/dev/null; then
    echo "$exe: depends on a shared libsodium"
    status=1
  fi
done
if [ "$status" -eq 0 ]; then
  echo "core-only link check: $# executable(s) without nlohmann/json or libsodium"
fi
exit "$status"
