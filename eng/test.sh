#!/usr/bin/env bash
# The one test command: builds the solution in Release and runs every test project (unit, CLI and the packaging
# consumer test). The output ends with the test runner's summary; the script fails when any test fails.
# Usage: bash eng/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# --- Benchmark step (to be added later) -------------------------------------------------------------------------------
# A short benchmark smoke run (benchmarks/Alignment.Benchmarks) goes here, before the tests, so that the output still
# ends with the test runner's summary.
# ----------------------------------------------------------------------------------------------------------------------

dotnet test Alignment.sln -c Release
