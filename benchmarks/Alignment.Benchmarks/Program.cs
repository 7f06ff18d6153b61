using Alignment.Benchmarks.Guards;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

namespace Alignment.Benchmarks;

/// <summary>
/// Entry point. <c>dotnet run -c Release --project benchmarks/Alignment.Benchmarks -- --filter '*'</c> runs benchmarks (any
/// BenchmarkDotNet option works, e.g. <c>--job short</c>); it exits with 1 when a benchmark fails to run.
/// <c>-- guards RESULTS_DIR GUARDS_FILE SUMMARY_FILE [--tripped FILE] [--remeasured RESULTS_DIR2]</c> checks the guards
/// against a run's JSON reports; <c>--tripped</c> writes the classes of the failed guards (one per line) for a re-run, and
/// <c>--remeasured</c> takes those classes' figures from the re-run and says so in the summary; a guard fails only when it trips in both runs (see eng/bench.sh).
/// </summary>
public static class Program
{
    /// <summary>Runs benchmarks, or checks guards.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>0 on success, 1 when a benchmark failed or a guard tripped, 2 on usage errors.</returns>
    public static int Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "guards")
        {
            return CheckGuards(args);
        }

        var config = ManualConfig.Create(DefaultConfig.Instance).AddExporter(new AllocationTotalsExporter());
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        var failed = summaries.SelectMany(s => s.Reports).Where(r => !r.Success).Select(r => r.BenchmarkCase.DisplayInfo).ToList();
        failed.AddRange(summaries.Where(s => s.HasCriticalValidationErrors).Select(s => $"{s.Title}: {string.Join("; ", s.ValidationErrors.Select(e => e.Message))}"));
        foreach (string f in failed)
        {
            Console.Error.WriteLine($"Benchmark failed: {f}");
        }

        return failed.Count == 0 ? 0 : 1;
    }

    private static int CheckGuards(string[] args)
    {
        string? trippedFile = null;
        string? remeasured = null;
        var positional = new List<string>();
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] is "--tripped" or "--remeasured" && i + 1 < args.Length)
            {
                if (args[i] == "--tripped")
                {
                    trippedFile = args[++i];
                }
                else
                {
                    remeasured = args[++i];
                }
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        if (positional.Count != 3)
        {
            Console.Error.WriteLine("usage: guards RESULTS_DIR GUARDS_FILE SUMMARY_FILE [--tripped FILE] [--remeasured RESULTS_DIR2]");
            return 2;
        }

        string resultsDir = positional[0];
        string guardsFile = positional[1];
        string summaryFile = positional[2];
        var guards = Guard.Parse(File.ReadAllLines(guardsFile), Path.GetFileName(guardsFile));
        var baselines = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods().Where(m => m.GetCustomAttributes(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false)
                .Cast<BenchmarkDotNet.Attributes.BenchmarkAttribute>().Any(a => a.Baseline)).Select(m => $"{t.Name}.{m.Name}"))
            .Append($"{HttpLoadRunCases.Type}.{HttpLoadRunCases.Baseline}")
            .ToHashSet(StringComparer.Ordinal);
        bool IsBaseline(string type, string method) => baselines.Contains($"{type}.{method}");
        var results = GuardReport.ReadResults(resultsDir, IsBaseline);
        if (results.Count == 0)
        {
            Console.Error.WriteLine($"No BenchmarkDotNet JSON reports under {resultsDir}.");
            return 1;
        }

        (IReadOnlyList<string>, IReadOnlyList<string>)? firstRun = null;
        IReadOnlyDictionary<int, double>? firstMeasured = null;
        if (remeasured is not null)
        {
            var again = GuardReport.ReadResults(remeasured, IsBaseline);
            GuardReport.Evaluate(guards, results, null, out var firstFailures, out _);
            firstRun = ([.. again.Select(r => r.Type).Distinct().Order(StringComparer.Ordinal)], firstFailures);
            firstMeasured = GuardReport.MeasureAll(guards, results);
            results = GuardReport.Remeasured(results, again);
        }

        string summary = GuardReport.Evaluate(guards, results, firstRun, out var failures, out var tripped, firstMeasured);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(summaryFile))!);
        File.WriteAllText(summaryFile, summary);
        if (trippedFile is not null)
        {
            File.WriteAllLines(trippedFile, tripped);
        }

        Console.WriteLine(summary);
        foreach (string f in failures)
        {
            Console.Error.WriteLine($"Guard failed: {f}");
        }

        return failures.Count == 0 ? 0 : 1;
    }
}
