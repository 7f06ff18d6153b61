using Alignment.Benchmarks.Guards;

namespace Alignment.Benchmarks.Tests.Guards;

public sealed class GuardReportTests
{
    private static readonly string[] Lines =
    [
        "# comment line",
        "ScoringPeersBenchmark.Alignment / ScoringPeersBenchmark.HandWritten <= 1.25   # issue 3: no slower than hand-written",
        "ScoringPeersBenchmark.RulesEngine / ScoringPeersBenchmark.AlignmentEncoded >= 50  # issue 3: 100x faster than RulesEngine",
        "ScoringPeersBenchmark.Alignment allocated <= 0  # issue 3: 0 B per lead",
    ];

    private static BenchmarkResult R(string method, double ns, double bytes = 0, bool baseline = false, string type = "ScoringPeersBenchmark") =>
        new(type, method, string.Empty, ns, bytes, baseline, "ShortRun");

    [Fact]
    public void Evaluate_WithinLimits_Passes_AndListsUnguardedClasses()
    {
        var guards = Guard.Parse(Lines, "guards.txt");
        string md = GuardReport.Evaluate(guards, [R("HandWritten", 100, baseline: true), R("Alignment", 95), R("AlignmentEncoded", 40), R("RulesEngine", 9000, 27000), R("Fit", 1, type: "OtherBenchmark")], out var failures);
        Assert.Empty(failures);
        Assert.Contains("| ScoringPeersBenchmark | Alignment | ShortRun | 95.0 ns | 0 B | 0.95 |", md, StringComparison.Ordinal);
        Assert.Contains("Unguarded benchmark classes: OtherBenchmark.", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ADoubledEngine_TripsTheGuard_NamingBenchmarkRatioAndLimit()
    {
        var guards = Guard.Parse(Lines, "guards.txt");
        GuardReport.Evaluate(guards, [R("HandWritten", 100, baseline: true), R("Alignment", 200, 24), R("AlignmentEncoded", 400), R("RulesEngine", 9000)], out var failures);
        Assert.Equal(
        [
            "guards.txt line 2: ScoringPeersBenchmark.Alignment / ScoringPeersBenchmark.HandWritten is 2.00, outside the limit <= 1.25 (issue 3: no slower than hand-written).",
            "guards.txt line 3: ScoringPeersBenchmark.RulesEngine / ScoringPeersBenchmark.AlignmentEncoded is 22.50, outside the limit >= 50 (issue 3: 100x faster than RulesEngine).",
            "guards.txt line 4: ScoringPeersBenchmark.Alignment allocated is 24 B, outside the limit <= 0 (issue 3: 0 B per lead).",
        ], failures);
    }

    [Fact]
    public void Evaluate_ABenchmarkThatDidNotRun_Fails()
    {
        var guards = Guard.Parse(Lines, "guards.txt");
        GuardReport.Evaluate(guards, [R("HandWritten", 100, baseline: true), new BenchmarkResult("ScoringPeersBenchmark", "Alignment", string.Empty, null, null, false), R("AlignmentEncoded", 40), R("RulesEngine", 9000)], out var failures);
        Assert.Contains("ScoringPeersBenchmark.Alignment did not run (no measurements: an exception in setup or a missing dependency; see the log above).", failures);
        Assert.Contains(failures, f => f.StartsWith("guards.txt line 2:", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ALineWithoutItsPromise_IsRefusedWithTheLine()
    {
        var ex = Assert.Throws<FormatException>(() => Guard.Parse(["A.B / A.C <= 2"], "guards.txt"));
        Assert.Equal("guards.txt, line 1: every guard needs a comment (# …) saying which promise it keeps.", ex.Message);
        ex = Assert.Throws<FormatException>(() => Guard.Parse(["", "A.B ~ 2 # x"], "guards.txt"));
        Assert.StartsWith("guards.txt, line 2: expected", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCheckedInGuardsFile_Parses_AndNamesExistingBenchmarks()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Alignment.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Alignment.sln not found above the test folder.");
        }

        var guards = Guard.Parse(File.ReadAllLines(Path.Combine(root, "benchmarks", "guards.txt")), "guards.txt");
        Assert.NotEmpty(guards);
        var methods = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods().Where(m => m.IsDefined(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), false)).Select(m => $"{t.Name}.{m.Name}"))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var g in guards)
        {
            Assert.Contains(g.Subject.Split('(')[0], methods);
            if (g.Baseline is not null)
            {
                Assert.Contains(g.Baseline.Split('(')[0], methods);
            }
        }
    }
}
