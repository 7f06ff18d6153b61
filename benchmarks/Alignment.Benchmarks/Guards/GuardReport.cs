using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Alignment.Benchmarks.Guards;

/// <summary>Checks guards against the results of one benchmark run and writes the markdown summary.</summary>
public static class GuardReport
{
    /// <summary>
    /// Reads every <c>*-report-full*.json</c> under a folder (BenchmarkDotNet's JSON exporter), with the allocation totals of
    /// the <c>*-allocations.json</c> files beside them (<see cref="AllocationTotalsExporter"/>).
    /// </summary>
    /// <param name="folder">The results folder.</param>
    /// <param name="isBaseline">Tells whether <c>(type, method)</c> is marked <c>Baseline = true</c> (the JSON does not say).</param>
    /// <returns>Every benchmark case found.</returns>
    public static IReadOnlyList<BenchmarkResult> ReadResults(string folder, Func<string, string, bool> isBaseline)
    {
        ArgumentNullException.ThrowIfNull(isBaseline);
        var totals = new Dictionary<string, (long Operations, long? Bytes)>(StringComparer.Ordinal);
        foreach (string file in Directory.EnumerateFiles(folder, "*" + AllocationTotalsExporter.Suffix, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var b in doc.RootElement.GetProperty("Benchmarks").EnumerateArray())
            {
                string key = KeyOf(b.GetProperty("Type").GetString()!, b.GetProperty("Method").GetString()!, b.GetProperty("Parameters").GetString() ?? string.Empty);
                long? bytes = b.GetProperty("TotalAllocatedBytes").ValueKind == JsonValueKind.Number ? b.GetProperty("TotalAllocatedBytes").GetInt64() : null;
                totals[key] = (b.GetProperty("TotalOperations").GetInt64(), bytes);
            }
        }

        var results = new List<BenchmarkResult>();
        foreach (string file in Directory.EnumerateFiles(folder, "*-report-full*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var b in doc.RootElement.GetProperty("Benchmarks").EnumerateArray())
            {
                bool hasStatistics = b.TryGetProperty("Statistics", out var st) && st.ValueKind == JsonValueKind.Object;
                double? mean = hasStatistics ? Number(st, "Mean") : null;
                double? median = hasStatistics ? Number(st, "Median") : null;
                double? p99 = hasStatistics && st.TryGetProperty("Percentiles", out var percentiles) && percentiles.ValueKind == JsonValueKind.Object ? Number(percentiles, "P99") : null;
                string parameters = b.TryGetProperty("Parameters", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : string.Empty;
                string type = b.GetProperty("Type").GetString()!;
                string method = b.GetProperty("Method").GetString()!;
                string display = b.GetProperty("DisplayInfo").GetString()!;
                int colon = display.IndexOf(": ", StringComparison.Ordinal);
                int paren = display.IndexOf('(', Math.Max(colon, 0));
                string job = colon >= 0 && paren > colon ? display[(colon + 2)..paren] : string.Empty;
                double? alloc = totals.TryGetValue(KeyOf(type, method, parameters), out var t) && t.Operations > 0 && t.Bytes is long bytes
                    ? (double)bytes / t.Operations
                    : null;
                results.Add(new BenchmarkResult(type, method, parameters.Replace('&', ','), mean, alloc, isBaseline(type, method), job, median, p99));
            }
        }

        return results;
    }

    /// <summary>
    /// The results of a run in which some classes were measured again: every case of a class that <paramref name="again"/>
    /// measured comes from <paramref name="again"/> (all of the class, so a ratio never mixes two processes).
    /// </summary>
    /// <param name="first">The first run.</param>
    /// <param name="again">The re-measured classes.</param>
    /// <returns>The merged results.</returns>
    public static IReadOnlyList<BenchmarkResult> Remeasured(IReadOnlyList<BenchmarkResult> first, IReadOnlyList<BenchmarkResult> again)
    {
        var types = again.Select(r => r.Type).ToHashSet(StringComparer.Ordinal);
        return [.. first.Where(r => !types.Contains(r.Type)), .. again];
    }

    /// <summary>Evaluates the guards and renders the summary.</summary>
    /// <param name="guards">The guards.</param>
    /// <param name="results">The results of the run.</param>
    /// <param name="failures">Every failed guard or benchmark that did not run, one message each.</param>
    /// <returns>The markdown summary.</returns>
    public static string Evaluate(IReadOnlyList<Guard> guards, IReadOnlyList<BenchmarkResult> results, out IReadOnlyList<string> failures)
        => Evaluate(guards, results, null, out failures, out _);

    /// <summary>Evaluates the guards and renders the summary.</summary>
    /// <param name="guards">The guards.</param>
    /// <param name="results">The results of the run (after any re-measurement).</param>
    /// <param name="firstRunFailures">
    /// When classes were re-measured: the classes and what failed in the first run, for the summary; otherwise <see langword="null"/>.
    /// </param>
    /// <param name="firstRunMeasured">
    /// When classes were re-measured: what each guard measured in the first run, by guards.txt line (see
    /// <see cref="MeasureAll"/>). A guard fails only when it trips in both runs: one that was within its limit in the first
    /// run and trips in the second is reported as passed in the first run (a noisy machine moves one run; a 2x regression
    /// trips both). <see langword="null"/> when nothing was re-measured.
    /// </param>
    /// <param name="failures">Every failed guard or benchmark that did not run, one message each.</param>
    /// <param name="trippedClasses">The classes of the failed guards (and of cases that did not run): what to re-measure.</param>
    /// <returns>The markdown summary.</returns>
    public static string Evaluate(
        IReadOnlyList<Guard> guards,
        IReadOnlyList<BenchmarkResult> results,
        (IReadOnlyList<string> Classes, IReadOnlyList<string> Failures)? firstRunFailures,
        out IReadOnlyList<string> failures,
        out IReadOnlyList<string> trippedClasses,
        IReadOnlyDictionary<int, double>? firstRunMeasured = null)
    {
        ArgumentNullException.ThrowIfNull(guards);
        ArgumentNullException.ThrowIfNull(results);
        var byKey = new Dictionary<string, BenchmarkResult>(StringComparer.Ordinal);
        foreach (var r in results)
        {
            byKey.TryAdd(r.Key, r);
        }

        var problems = new List<string>();
        var tripped = new SortedSet<string>(StringComparer.Ordinal);
        var md = new StringBuilder();
        md.AppendLine("## Benchmark summary").AppendLine();
        md.AppendLine("| benchmark | method | job | mean | median | allocated | ratio to baseline (medians) |");
        md.AppendLine("|---|---|---|---:|---:|---:|---:|");
        foreach (var group in results.GroupBy(r => (r.Type, r.Parameters, r.Job)).OrderBy(g => g.Key.Type, StringComparer.Ordinal).ThenBy(g => g.Key.Parameters, StringComparer.Ordinal).ThenBy(g => g.Key.Job, StringComparer.Ordinal))
        {
            var baseline = group.FirstOrDefault(r => r.IsBaseline);
            foreach (var r in group)
            {
                string ratio = baseline is { HasTime: true } && r.HasTime ? Ratio(r.MedianNanoseconds!.Value / baseline.MedianNanoseconds!.Value) : "–";
                string name = r.Parameters.Length == 0 ? r.Type : $"{r.Type} ({r.Parameters})";
                md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {r.Method}{(r.IsBaseline ? " (baseline)" : string.Empty)} | {r.Job} | {Time(r.MeanNanoseconds)} | {Time(r.MedianNanoseconds)} | {Bytes(r.AllocatedBytes)} | {ratio} |");
                if (!r.HasTime)
                {
                    problems.Add($"{r.Key} did not run (mean {Figure(r.MeanNanoseconds)}, median {Figure(r.MedianNanoseconds)}: no usable measurement; an exception in setup or a missing dependency, see the log above).");
                    tripped.Add(r.Type);
                }
            }
        }

        if (firstRunFailures is { } first)
        {
            md.AppendLine().AppendLine("### Re-measured").AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"A guard tripped in the first run, so {string.Join(", ", first.Classes)} ran once more in a fresh process; the figures above and the guards below are from that second run, and a guard fails only when it tripped in both runs. The first run said:").AppendLine();
            foreach (string f in first.Failures)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {f}");
            }
        }

        md.AppendLine().AppendLine("### Guards").AppendLine();
        md.AppendLine("| line | guard | measured | limit | result | promise |");
        md.AppendLine("|---:|---|---:|---:|---|---|");
        foreach (var g in guards)
        {
            string limit = $"{g.Comparison} {g.Limit.ToString(CultureInfo.InvariantCulture)}";
            string row = $"| {g.Line} | {Describe(g)} | {{0}} | {limit} | {{1}} | {g.Promise} |";
            string? missing = g.Cases.FirstOrDefault(c => !byKey.ContainsKey(c));
            if (missing is not null)
            {
                problems.Add($"guards.txt line {g.Line}: {missing} was not measured in this run, so the guard '{Describe(g)}' cannot be checked.");
                md.AppendLine(string.Format(CultureInfo.InvariantCulture, row, "–", "MISSING"));
                tripped.Add(g.Type);
                continue;
            }

            var subject = byKey[g.Subject];
            double? measured = Measure(g, key => byKey[key]);
            if (measured is not double value)
            {
                var notRun = g.Cases.Select(c => byKey[c]).Where(r => !r.HasTime).Select(r => r.Key).ToList();
                string why = notRun.Count > 0
                    ? $"{string.Join(" and ", notRun)} has no usable time (zero, negative, not a number or missing)"
                    : g.Absolute is not null
                        ? $"{subject.Key} has no usable {g.Absolute} figure (a p99 comes from the HTTP load run's report, eng/load.sh)"
                        : $"{subject.Key} has no allocation figure (run through this program, whose exporter writes the allocation totals)";
                problems.Add($"guards.txt line {g.Line}: '{Describe(g)}' is NOT RUN: {why}.");
                md.AppendLine(string.Format(CultureInfo.InvariantCulture, row, "–", "NOT RUN"));
                tripped.Add(g.Type);
                continue;
            }

            bool ok = Within(g, value);
            string measuredText = Text(g, value);
            if (!ok && firstRunMeasured is not null && firstRunMeasured.TryGetValue(g.Line, out double before) && Within(g, before))
            {
                string beforeText = Text(g, before);
                md.AppendLine(string.Format(CultureInfo.InvariantCulture, row, measuredText, $"ok in the first run ({beforeText}), tripped in the second only"));
                continue;
            }

            md.AppendLine(string.Format(CultureInfo.InvariantCulture, row, measuredText, ok ? "ok" : "FAILED"));
            if (!ok)
            {
                problems.Add($"guards.txt line {g.Line}: {Describe(g)} is {measuredText}, outside the limit {limit} ({g.Promise}).");
                tripped.Add(g.Type);
            }
        }

        var guarded = guards.Select(g => g.Type).ToHashSet(StringComparer.Ordinal);
        var unguarded = results.Select(r => r.Type).Distinct().Where(t => !guarded.Contains(t)).Order(StringComparer.Ordinal).ToList();
        md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Unguarded benchmark classes: {(unguarded.Count == 0 ? "none" : string.Join(", ", unguarded))}.");
        failures = problems;
        trippedClasses = [.. tripped];
        return md.ToString();
    }

    /// <summary>What each guard measures in <paramref name="results"/>, by guards.txt line (guards that cannot be measured are left out).</summary>
    /// <param name="guards">The guards.</param>
    /// <param name="results">The results of a run.</param>
    /// <returns>The measured value of each guard that could be measured.</returns>
    public static IReadOnlyDictionary<int, double> MeasureAll(IReadOnlyList<Guard> guards, IReadOnlyList<BenchmarkResult> results)
    {
        ArgumentNullException.ThrowIfNull(guards);
        ArgumentNullException.ThrowIfNull(results);
        var byKey = new Dictionary<string, BenchmarkResult>(StringComparer.Ordinal);
        foreach (var r in results)
        {
            byKey.TryAdd(r.Key, r);
        }

        var measured = new Dictionary<int, double>();
        foreach (var g in guards)
        {
            if (g.Cases.All(byKey.ContainsKey) && Measure(g, key => byKey[key]) is double value)
            {
                measured[g.Line] = value;
            }
        }

        return measured;
    }

    /// <summary>
    /// What a guard measures: the ratio of the two medians (for a scaling guard, that ratio divided by the same ratio at the
    /// reference size), the bytes allocated per operation, or for an absolute guard the case's median or p99 in nanoseconds;
    /// <see langword="null"/> when a case did not run or has no allocation or p99 figure.
    /// </summary>
    /// <param name="guard">The guard.</param>
    /// <param name="result">The result of each of the guard's cases (<see cref="Guard.Cases"/>).</param>
    /// <returns>The measured value, or <see langword="null"/>.</returns>
    public static double? Measure(Guard guard, Func<string, BenchmarkResult> result)
    {
        ArgumentNullException.ThrowIfNull(guard);
        ArgumentNullException.ThrowIfNull(result);
        var cases = guard.Cases.Select(result).ToList();
        if (cases.Any(r => !r.HasTime))
        {
            return null;
        }

        if (guard.Absolute is "median")
        {
            return cases[0].MedianNanoseconds!.Value;
        }

        if (guard.Absolute is "p99")
        {
            return cases[0].P99Nanoseconds is double p && double.IsFinite(p) && p > 0 ? p : null;
        }

        if (guard.Baseline is null)
        {
            return cases[0].AllocatedBytes is double b && double.IsFinite(b) && b >= 0 ? b : null;
        }

        double ratio = cases[0].MedianNanoseconds!.Value / cases[1].MedianNanoseconds!.Value;
        return guard.ReferenceSubject is null ? ratio : ratio / (cases[2].MedianNanoseconds!.Value / cases[3].MedianNanoseconds!.Value);
    }

    private static bool Within(Guard g, double value) => g.Comparison == "<=" ? value <= g.Limit : value >= g.Limit;

    private static string KeyOf(string type, string method, string parameters) => $"{type}.{method}({parameters.Replace('&', ',')})";

    private static double? Number(JsonElement statistics, string name) =>
        statistics.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static string Describe(Guard g) => g.Description;

    private static string Text(Guard g, double value) => g.Absolute is not null ? Time(value) : g.Baseline is null ? Bytes(value) : Ratio(value);

    private static string Ratio(double r) => r.ToString(r < 0.1 ? "0.000" : "0.00", CultureInfo.InvariantCulture);

    private static string Figure(double? v) => v is double d ? d.ToString("G4", CultureInfo.InvariantCulture) : "missing";

    private static string Time(double? ns) => ns switch
    {
        null => "not run",
        double v when !double.IsFinite(v) || v <= 0 => "not run",
        < 1_000 => ns.Value.ToString("0.0", CultureInfo.InvariantCulture) + " ns",
        < 1_000_000 => (ns.Value / 1_000).ToString("0.00", CultureInfo.InvariantCulture) + " µs",
        < 1_000_000_000 => (ns.Value / 1_000_000).ToString("0.00", CultureInfo.InvariantCulture) + " ms",
        _ => (ns.Value / 1_000_000_000).ToString("0.000", CultureInfo.InvariantCulture) + " s",
    };

    private static string Bytes(double? b) => b switch
    {
        null => "–",
        0 => "0 B",
        < 1 => b.Value.ToString("G3", CultureInfo.InvariantCulture) + " B",
        < 100 => b.Value.ToString("0.####", CultureInfo.InvariantCulture) + " B",
        _ => b.Value.ToString("0", CultureInfo.InvariantCulture) + " B",
    };
}
