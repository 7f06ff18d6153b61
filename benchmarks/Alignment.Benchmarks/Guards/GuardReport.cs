using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Alignment.Benchmarks.Guards;

/// <summary>Checks guards against the results of one benchmark run and writes the markdown summary.</summary>
public static class GuardReport
{
    /// <summary>Reads every <c>*-report-full*.json</c> under a folder (BenchmarkDotNet's JSON exporter).</summary>
    /// <param name="folder">The results folder.</param>
    /// <param name="isBaseline">Tells whether <c>(type, method)</c> is marked <c>Baseline = true</c> (the JSON does not say).</param>
    /// <returns>Every benchmark case found.</returns>
    public static IReadOnlyList<BenchmarkResult> ReadResults(string folder, Func<string, string, bool> isBaseline)
    {
        ArgumentNullException.ThrowIfNull(isBaseline);
        var results = new List<BenchmarkResult>();
        foreach (string file in Directory.EnumerateFiles(folder, "*-report-full*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var b in doc.RootElement.GetProperty("Benchmarks").EnumerateArray())
            {
                double? mean = b.TryGetProperty("Statistics", out var st) && st.ValueKind == JsonValueKind.Object && st.TryGetProperty("Mean", out var m) ? m.GetDouble() : null;
                double? alloc = b.TryGetProperty("Memory", out var mem) && mem.ValueKind == JsonValueKind.Object && mem.TryGetProperty("BytesAllocatedPerOperation", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : null;
                string parameters = b.TryGetProperty("Parameters", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : string.Empty;
                string type = b.GetProperty("Type").GetString()!;
                string method = b.GetProperty("Method").GetString()!;
                string display = b.GetProperty("DisplayInfo").GetString()!;
                int colon = display.IndexOf(": ", StringComparison.Ordinal);
                int paren = display.IndexOf('(', Math.Max(colon, 0));
                string job = colon >= 0 && paren > colon ? display[(colon + 2)..paren] : string.Empty;
                results.Add(new BenchmarkResult(type, method, parameters.Replace('&', ','), mean, alloc, isBaseline(type, method), job));
            }
        }

        return results;
    }

    /// <summary>Evaluates the guards and renders the summary.</summary>
    /// <param name="guards">The guards.</param>
    /// <param name="results">The results of the run.</param>
    /// <param name="failures">Every failed guard or benchmark that did not run, one message each.</param>
    /// <returns>The markdown summary.</returns>
    public static string Evaluate(IReadOnlyList<Guard> guards, IReadOnlyList<BenchmarkResult> results, out IReadOnlyList<string> failures)
    {
        var byKey = new Dictionary<string, BenchmarkResult>(StringComparer.Ordinal);
        foreach (var r in results)
        {
            byKey.TryAdd(r.Key, r);
        }

        var problems = new List<string>();
        var md = new StringBuilder();
        md.AppendLine("## Benchmark summary").AppendLine();
        md.AppendLine("| benchmark | method | job | mean | allocated | ratio to baseline |");
        md.AppendLine("|---|---|---|---:|---:|---:|");
        foreach (var group in results.GroupBy(r => (r.Type, r.Parameters, r.Job)).OrderBy(g => g.Key.Type, StringComparer.Ordinal).ThenBy(g => g.Key.Parameters, StringComparer.Ordinal).ThenBy(g => g.Key.Job, StringComparer.Ordinal))
        {
            var baseline = group.FirstOrDefault(r => r.IsBaseline);
            foreach (var r in group)
            {
                string ratio = baseline?.MeanNanoseconds is double b && r.MeanNanoseconds is double m && b > 0 ? (m / b).ToString("0.00", CultureInfo.InvariantCulture) : "–";
                string name = r.Parameters.Length == 0 ? r.Type : $"{r.Type} ({r.Parameters})";
                md.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {r.Method}{(r.IsBaseline ? " (baseline)" : string.Empty)} | {r.Job} | {Time(r.MeanNanoseconds)} | {Bytes(r.AllocatedBytes)} | {ratio} |");
                if (r.MeanNanoseconds is null)
                {
                    problems.Add($"{r.Key} did not run (no measurements: an exception in setup or a missing dependency; see the log above).");
                }
            }
        }

        md.AppendLine().AppendLine("### Guards").AppendLine();
        md.AppendLine("| guard | measured | limit | result | promise |");
        md.AppendLine("|---|---:|---:|---|---|");
        foreach (var g in guards)
        {
            string measuredText;
            bool ok;
            if (!byKey.TryGetValue(g.Subject, out var subject) || (g.Baseline is not null && !byKey.ContainsKey(g.Baseline)))
            {
                string missing = subject is null ? g.Subject : g.Baseline!;
                problems.Add($"guards.txt line {g.Line}: {missing} was not measured in this run, so the guard '{Describe(g)}' cannot be checked.");
                md.AppendLine(CultureInfo.InvariantCulture, $"| {Describe(g)} | – | {g.Comparison} {g.Limit.ToString(CultureInfo.InvariantCulture)} | MISSING | {g.Promise} |");
                continue;
            }

            double? measured = g.Baseline is null
                ? subject.AllocatedBytes
                : subject.MeanNanoseconds / byKey[g.Baseline].MeanNanoseconds;
            if (measured is not double value || double.IsNaN(value))
            {
                problems.Add($"guards.txt line {g.Line}: '{Describe(g)}' has no measurement (the benchmark did not run).");
                md.AppendLine(CultureInfo.InvariantCulture, $"| {Describe(g)} | – | {g.Comparison} {g.Limit.ToString(CultureInfo.InvariantCulture)} | NOT RUN | {g.Promise} |");
                continue;
            }

            ok = g.Comparison == "<=" ? value <= g.Limit : value >= g.Limit;
            measuredText = g.Baseline is null ? Bytes(value) : value.ToString("0.00", CultureInfo.InvariantCulture);
            md.AppendLine(CultureInfo.InvariantCulture, $"| {Describe(g)} | {measuredText} | {g.Comparison} {g.Limit.ToString(CultureInfo.InvariantCulture)} | {(ok ? "ok" : "FAILED")} | {g.Promise} |");
            if (!ok)
            {
                problems.Add($"guards.txt line {g.Line}: {Describe(g)} is {measuredText}, outside the limit {g.Comparison} {g.Limit.ToString(CultureInfo.InvariantCulture)} ({g.Promise}).");
            }
        }

        var guarded = guards.Select(g => g.Type).ToHashSet(StringComparer.Ordinal);
        var unguarded = results.Select(r => r.Type).Distinct().Where(t => !guarded.Contains(t)).Order(StringComparer.Ordinal).ToList();
        md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Unguarded benchmark classes: {(unguarded.Count == 0 ? "none" : string.Join(", ", unguarded))}.");
        failures = problems;
        return md.ToString();
    }

    private static string Describe(Guard g) => g.Baseline is null ? $"{g.Subject} allocated" : $"{g.Subject} / {g.Baseline}";

    private static string Time(double? ns) => ns switch
    {
        null => "not run",
        < 1_000 => ns.Value.ToString("0.0", CultureInfo.InvariantCulture) + " ns",
        < 1_000_000 => (ns.Value / 1_000).ToString("0.00", CultureInfo.InvariantCulture) + " µs",
        < 1_000_000_000 => (ns.Value / 1_000_000).ToString("0.00", CultureInfo.InvariantCulture) + " ms",
        _ => (ns.Value / 1_000_000_000).ToString("0.000", CultureInfo.InvariantCulture) + " s",
    };

    private static string Bytes(double? b) => b is null ? "–" : b.Value.ToString("0", CultureInfo.InvariantCulture) + " B";
}
