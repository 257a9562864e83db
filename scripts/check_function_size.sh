#!/usr/bin/env bash
# Every function under core/ stays under 80 lines (clang-tidy's
# readability-function-size, which counts the lines of the body; lambdas
# count toward the function that holds them). A longer function is a sign
# that two concerns share it: split it where the comment would go.
# Usage: check_function_size.sh <build dir with compile_commands.json> <source root>
set -euo pipefail
build=$1
root=$2
limit=79
mapfile -t files < <(cd "$root" && git ls-files 'core/*.cpp' 2>/dev/null || find core -name '*.cpp')
report=$(cd "$root" && printf '%s\n' "${files[@]}" | xargs -P2 -n8 clang-tidy -p "$build" --quiet \
  -checks='-*,readability-function-size' \
  -config="{CheckOptions: [{key: readability-function-size.LineThreshold, value: $limit}]}" 2>/dev/null |
  grep -E 'warning: function .* exceeds' | sort -u || true)
if [ -n "$report" ]; then
  echo "functions over $limit lines:"
  echo "$report"
  exit 1
fi
echo "function size: every function in ${#files[@]} files under core/ is at most $limit lines"
