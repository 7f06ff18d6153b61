using Alignment.Benchmarks.Guards;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Alignment.Benchmarks;

/// <summary>
/// Entry point. <c>dotnet run -c Release --project benchmarks/Alignment.Benchmarks -- --filter '*'</c> runs benchmarks (any
/// BenchmarkDotNet option works, e.g. <c>--job short</c>); it exits with 1 when a benchmark fails to run.
/// <c>-- guards RESULTS_DIR GUARDS_FILE SUMMARY_FILE</c> checks the ratio guards against a run's JSON reports.
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

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
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
        if (args.Length != 4)
        {
            Console.Error.WriteLine("usage: guards RESULTS_DIR GUARDS_FILE SUMMARY_FILE");
            return 2;
        }

        var guards = Guard.Parse(File.ReadAllLines(args[2]), Path.GetFileName(args[2]));
        var baselines = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods().Where(m => m.GetCustomAttributes(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false)
                .Cast<BenchmarkDotNet.Attributes.BenchmarkAttribute>().Any(a => a.Baseline)).Select(m => $"{t.Name}.{m.Name}"))
            .ToHashSet(StringComparer.Ordinal);
        var results = GuardReport.ReadResults(args[1], (type, method) => baselines.Contains($"{type}.{method}"));
        if (results.Count == 0)
        {
            Console.Error.WriteLine($"No BenchmarkDotNet JSON reports under {args[1]}.");
            return 1;
        }

        string summary = GuardReport.Evaluate(guards, results, out var failures);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[3]))!);
        File.WriteAllText(args[3], summary);
        Console.WriteLine(summary);
        foreach (string f in failures)
        {
            Console.Error.WriteLine($"Guard failed: {f}");
        }

        return failures.Count == 0 ? 0 : 1;
    }
}
