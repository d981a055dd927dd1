#!/usr/bin/env bash
# The test command: builds the solution and runs every test project, then prints one summary line.
# It does its own set-up, so it works on a fresh clone and in CI (.ci/run calls it).
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

results="${TEST_RESULTS_DIR:-$(pwd)/artifacts/test-results}"
mkdir -p "$results"
log="$results/dotnet-test.log"

# Node.js + npm for the console's chart library, Debian's Chromium for the console's browser tests (when absent).
scripts/prerequisites.sh --browser
# The browser tests save their screenshots under $TEST_RESULTS_DIR/console.
export TEST_RESULTS_DIR="$results"

dotnet restore Vpp.Orleans.sln
dotnet build Vpp.Orleans.sln -c Release --no-restore
# A throwaway PostgreSQL for the Postgres tests (installs and starts it if needed; exports VPP_POSTGRES).
eval "$(scripts/postgres.sh env)"
set +e
dotnet test Vpp.Orleans.sln -c Release --no-build \
  --logger "trx" --results-directory "$results" --blame-hang-timeout 10m \
  -- xUnit.ParallelizeTestCollections=true 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

sum() { grep -oE "$1: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}'; }
passed=$(sum Passed)
failed=$(sum Failed)
skipped=$(sum Skipped)
echo
echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
