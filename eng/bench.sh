#!/usr/bin/env bash
# Runs every BenchmarkDotNet benchmark class with the short job, then checks the ratio guards in benchmarks/guards.txt
# and writes the markdown summary to artifacts/benchmarks/summary.md (also printed to the log).
# Fails when a benchmark cannot run or a guard trips. Usage: bash eng/bench.sh [extra BenchmarkDotNet options]
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/benchmarks
rm -rf "$out"
mkdir -p "$out"
dotnet build benchmarks/Alignment.Benchmarks -c Release --nologo -v quiet
dotnet run -c Release --no-build --project benchmarks/Alignment.Benchmarks -- \
  --filter '*' --job short --iterationCount 7 --exporters json --artifacts "$out/raw" --stopOnFirstError false "$@"
dotnet run -c Release --no-build --project benchmarks/Alignment.Benchmarks -- \
  guards "$out/raw/results" benchmarks/guards.txt "$out/summary.md"
