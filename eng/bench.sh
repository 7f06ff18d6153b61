#!/usr/bin/env bash
# Runs every BenchmarkDotNet benchmark class with the short job, then checks the guards in benchmarks/guards.txt and
# writes the markdown summary to artifacts/benchmarks/summary.md (also printed to the log).
# A guard that trips (or a case that did not run) does not fail the step at once: the classes involved run once more in a
# fresh process and the guards are checked against that second measurement; the summary says when this happened.
# After the BenchmarkDotNet classes, the HTTP load run (eng/load.sh: `alignment serve` under wrk, about 125 s) writes its
# report (pseudo class HttpLoadRun) beside theirs; when one of its guards trips it runs once more, like a class.
# Fails when a benchmark or the load run cannot run or a guard trips twice. Usage: bash eng/bench.sh [extra BenchmarkDotNet options]
set -euo pipefail
cd "$(dirname "$0")/.."
out=artifacts/benchmarks
rm -rf "$out"
mkdir -p "$out"
# A generous build timeout: BenchmarkDotNet builds a boilerplate project first, which took over its default 2 minutes
# while others were building on this 2-core machine.
bdn_options=(--job short --iterationCount 7 --exporters json --stopOnFirstError false --buildTimeout 900)
dotnet build benchmarks/Alignment.Benchmarks -c Release --nologo -v quiet
run_status=0
dotnet run -c Release --no-build --project benchmarks/Alignment.Benchmarks -- \
  --filter '*' "${bdn_options[@]}" --artifacts "$out/raw" "$@" || run_status=$?
# The HTTP load run (builds the CLI in Release once; its report goes under the results folder the guards read).
load_status=0
bash eng/load.sh --report "$out/raw/results/http-load" || load_status=$?
cli=src/Alignment.Cli/bin/Release/net10.0/alignment.dll
guard_status=0
dotnet run -c Release --no-build --project benchmarks/Alignment.Benchmarks -- \
  guards "$out/raw/results" benchmarks/guards.txt "$out/summary.md" --tripped "$out/tripped.txt" || guard_status=$?
if [ "$guard_status" -eq 1 ] && [ -s "$out/tripped.txt" ]; then
  mapfile -t classes < "$out/tripped.txt"
  filters=()
  load_again=0
  for c in "${classes[@]}"; do
    if [ "$c" = HttpLoadRun ]; then load_again=1; else filters+=("*.${c}.*"); fi
  done
  echo "A guard tripped (or a case did not run) in: ${classes[*]}. Measuring these classes once more in a fresh process." >&2
  mkdir -p "$out/remeasured/results"
  if [ ${#filters[@]} -gt 0 ]; then
    dotnet run -c Release --no-build --project benchmarks/Alignment.Benchmarks -- \
      --filter "${filters[@]}" "${bdn_options[@]}" --artifacts "$out/remeasured" "$@" || true
  fi
  if [ "$load_again" = 1 ]; then
    if [ -f "$cli" ]; then
      bash eng/load.sh --cli "$cli" --report "$out/remeasured/results/http-load" || true
    else
      bash eng/load.sh --report "$out/remeasured/results/http-load" || true
    fi
  fi
  guard_status=0
  dotnet run -c Release --no-build --project benchmarks/Alignment.Benchmarks -- \
    guards "$out/raw/results" benchmarks/guards.txt "$out/summary.md" --remeasured "$out/remeasured/results" || guard_status=$?
fi
if [ "$run_status" -ne 0 ]; then
  echo "A benchmark failed to run (see 'Benchmark failed:' above)." >&2
  exit "$run_status"
fi
if [ "$load_status" -ne 0 ]; then
  echo "The HTTP load run (eng/load.sh) failed (see 'eng/load.sh:' above)." >&2
  exit "$load_status"
fi
exit "$guard_status"
