#!/usr/bin/env bash
# Runs the whole test suite (unit + integration) and prints, as its last line, the plain total
# "N passed, N failed, N skipped" summed from the xunit TRX results of every test project.
# Usage: scripts/test.sh [extra dotnet test args, e.g. --filter "FullyQualifiedName~Noise"]
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

results_dir="$(mktemp -d "${TMPDIR:-/tmp}/peat-test-results.XXXXXX")"
trap 'rm -rf "$results_dir"' EXIT

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! dotnet build PeatMesh.slnx -c Release -nologo -v quiet; then
  echo "build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

mapfile -t projects < <(find tests -name '*.Tests.csproj' | sort)
status=0
missing=0
for project in "${projects[@]}"; do
  name="$(basename "$project" .csproj)"
  echo "== $name"
  if ! dotnet test "$project" -c Release --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
      --results-directory "$results_dir" --blame-hang-timeout 10m "$@"; then
    status=1
  fi
  if [ ! -f "$results_dir/$name.trx" ]; then
    echo "no results for $name (test host crashed or did not start)"
    missing=$((missing + 1))
  fi
done

sum() {
  local attr="$1" total=0 value
  for trx in "$results_dir"/*.trx; do
    [ -f "$trx" ] || continue
    value="$(grep -o "<Counters [^>]*" "$trx" | grep -o " $attr=\"[0-9]*\"" | grep -o '[0-9]*')"
    total=$((total + ${value:-0}))
  done
  echo "$total"
}

passed="$(sum passed)"
failed="$(( $(sum failed) + $(sum error) + $(sum timeout) + $(sum aborted) + missing ))"
# xunit writes skipped tests as not executed: total - executed.
skipped="$(( $(sum total) - $(sum executed) ))"
if [ "$failed" -gt 0 ]; then
  status=1
  # Name every failed test (and the first line of its message) just above the total, where a truncated log still shows it.
  echo "== failed tests"
  for trx in "$results_dir"/*.trx; do
    [ -f "$trx" ] || continue
    awk '
      /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); want = 1 }
      want && /<Message>/ { line = $0; sub(/.*<Message>/, "", line); sub(/<\/Message>.*/, "", line); print "FAILED " name ": " line; want = 0 }
      want && /<\/UnitTestResult>/ { print "FAILED " name; want = 0 }
    ' "$trx"
  done
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
