#!/usr/bin/env bash
# Declares every new public symbol of the given projects in their PublicAPI.Unshipped.txt, using the
# PublicApiAnalyzers code fix (RS0016) through `dotnet format`. Review the diff of the API files afterwards.
# Usage: eng/update-public-api.sh src/Alignment.Scoring [src/Alignment.Policies ...]   (no argument: every src project)
set -euo pipefail
cd "$(dirname "$0")/.."
projects=("$@")
if [ ${#projects[@]} -eq 0 ]; then
  for c in src/*/*.csproj; do projects+=("$(dirname "$c")"); done # every project (src/Shared holds linked sources, no project)
fi
for p in "${projects[@]}"; do
  csproj=$(ls "$p"/*.csproj)
  dotnet format analyzers "$csproj" --diagnostics RS0016 RS0017 --severity warn >/dev/null
  echo "$p: $(($(wc -l <"$p/PublicAPI.Unshipped.txt") - 1)) unshipped API lines"
done
