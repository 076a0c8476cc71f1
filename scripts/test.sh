#!/usr/bin/env bash
# Runs every test project in Gen.sln and ends with one summary line: "Tests: N passed, N failed, N skipped".
# Exit code: non-zero when the build fails, any test fails, any test is skipped, or no test ran.
set -uo pipefail
cd "$(dirname "$0")/.."
results=artifacts/test-results
rm -rf "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bash scripts/install-deps.sh || { echo "Cannot install the test dependencies (see scripts/install-deps.sh)." >&2; exit 1; }
# PostgreSQL for the sink tests: a throwaway server for this run, unless KAPPA_POSTGRES names an existing one.
if [ -z "${KAPPA_POSTGRES:-}" ]; then
  pg_env=$(bash scripts/postgres.sh start) || { echo "Cannot start the throwaway PostgreSQL server the sink tests need (see above); or set KAPPA_POSTGRES to an existing server." >&2; exit 1; }
  eval "$pg_env"
  export KAPPA_POSTGRES
  trap 'bash scripts/postgres.sh stop "$KAPPA_POSTGRES_DIR"' EXIT
fi
dotnet test Gen.sln -c Release --logger "trx" --results-directory "$results" --blame-hang-timeout 10m "$@"
rc=$?
passed=0; failed=0; skipped=0; total=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  t=$(get total); p=$(get passed); f=$(get failed); e=$(get executed)
  total=$((total + ${t:-0})); passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [ "$total" -eq 0 ]; then
  echo "No test ran (build failure or no test projects)." >&2
  [ "$rc" -eq 0 ] && rc=1
fi
if [ "$skipped" -gt 0 ]; then
  echo "Some tests were skipped; a skipped test is not allowed in this suite." >&2
  [ "$rc" -eq 0 ] && rc=1
fi
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit "$rc"
