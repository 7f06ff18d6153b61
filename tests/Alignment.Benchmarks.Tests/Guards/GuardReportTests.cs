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
        new(type, method, string.Empty, ns, bytes, baseline, "ShortRun", ns);

    private static IReadOnlyList<Guard> Guards => Guard.Parse(Lines, "guards.txt");

    [Fact]
    public void Evaluate_WithinLimits_Passes_AndListsUnguardedClasses()
    {
        string md = GuardReport.Evaluate(Guards, [R("HandWritten", 100, baseline: true), R("Alignment", 95), R("AlignmentEncoded", 40), R("RulesEngine", 9000, 27000), R("Fit", 1, type: "OtherBenchmark")], out var failures);
        Assert.Empty(failures);
        Assert.Contains("| ScoringPeersBenchmark | Alignment | ShortRun | 95.0 ns | 95.0 ns | 0 B | 0.95 |", md, StringComparison.Ordinal);
        Assert.Contains("Unguarded benchmark classes: OtherBenchmark.", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_OutsideTheLimits_FailsNamingBenchmarkRatioAndLimit()
    {
        GuardReport.Evaluate(Guards, [R("HandWritten", 100, baseline: true), R("Alignment", 200, 24), R("AlignmentEncoded", 400), R("RulesEngine", 9000)], out var failures);
        Assert.Equal(
        [
            "guards.txt line 2: ScoringPeersBenchmark.Alignment / ScoringPeersBenchmark.HandWritten is 2.00, outside the limit <= 1.25 (issue 3: no slower than hand-written).",
            "guards.txt line 3: ScoringPeersBenchmark.RulesEngine / ScoringPeersBenchmark.AlignmentEncoded is 22.50, outside the limit >= 50 (issue 3: 100x faster than RulesEngine).",
            "guards.txt line 4: ScoringPeersBenchmark.Alignment allocated is 24 B, outside the limit <= 0 (issue 3: 0 B per lead).",
        ], failures);
    }

    [Fact]
    public void Evaluate_RatiosUseMedians_SoOneSlowIterationInTheMeanDoesNotTrip()
    {
        var alignment = new BenchmarkResult("ScoringPeersBenchmark", "Alignment", string.Empty, MeanNanoseconds: 300, AllocatedBytes: 0, IsBaseline: false, "ShortRun", MedianNanoseconds: 100);
        GuardReport.Evaluate(Guards, [R("HandWritten", 100, baseline: true), alignment, R("AlignmentEncoded", 40), R("RulesEngine", 9000)], out var failures);
        Assert.Empty(failures);
    }

    [Fact]
    public void Evaluate_ABenchmarkThatDidNotRun_Fails()
    {
        GuardReport.Evaluate(Guards, [R("HandWritten", 100, baseline: true), new BenchmarkResult("ScoringPeersBenchmark", "Alignment", string.Empty, null, null, false), R("AlignmentEncoded", 40), R("RulesEngine", 9000)], out var failures);
        Assert.Contains("ScoringPeersBenchmark.Alignment did not run (mean missing, median missing: no usable measurement; an exception in setup or a missing dependency, see the log above).", failures);
        Assert.Contains(failures, f => f.StartsWith("guards.txt line 2: 'ScoringPeersBenchmark.Alignment / ScoringPeersBenchmark.HandWritten' is NOT RUN", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Evaluate_AZeroNegativeOrNonFiniteTime_IsNotRun_OnEitherSideOfTheRatio(double bad)
    {
        // A zero denominator made the ratio +infinity, which passed every >= guard; a zero numerator passed every <= guard.
        GuardReport.Evaluate(Guards, [R("HandWritten", 100, baseline: true), R("Alignment", 95), R("AlignmentEncoded", bad), R("RulesEngine", 9000)], out var failures);
        Assert.Contains(failures, f => f.StartsWith("guards.txt line 3: 'ScoringPeersBenchmark.RulesEngine / ScoringPeersBenchmark.AlignmentEncoded' is NOT RUN: ScoringPeersBenchmark.AlignmentEncoded has no usable time", StringComparison.Ordinal));
        string md = GuardReport.Evaluate(Guards, [R("HandWritten", 100, baseline: true), R("Alignment", bad), R("AlignmentEncoded", 40), R("RulesEngine", 9000)], out failures);
        Assert.Contains(failures, f => f.StartsWith("guards.txt line 2: 'ScoringPeersBenchmark.Alignment / ScoringPeersBenchmark.HandWritten' is NOT RUN", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("guards.txt line 4: 'ScoringPeersBenchmark.Alignment allocated' is NOT RUN", StringComparison.Ordinal));
        Assert.Contains("| 2 | ScoringPeersBenchmark.Alignment / ScoringPeersBenchmark.HandWritten | – | <= 1.25 | NOT RUN |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_AFewBytesPerOperation_TripAZeroAllocationGuard()
    {
        GuardReport.Evaluate(Guards, [R("HandWritten", 100, baseline: true), R("Alignment", 95, bytes: 0.48), R("AlignmentEncoded", 40), R("RulesEngine", 9000)], out var failures);
        Assert.Equal(["guards.txt line 4: ScoringPeersBenchmark.Alignment allocated is 0.48 B, outside the limit <= 0 (issue 3: 0 B per lead)."], failures);
    }

    [Fact]
    public void Evaluate_AfterARemeasurement_UsesTheSecondRun_AndSaysSo()
    {
        IReadOnlyList<BenchmarkResult> first = [R("HandWritten", 100, baseline: true), R("Alignment", 190), R("AlignmentEncoded", 40), R("RulesEngine", 9000), R("Fit", 1, type: "OtherBenchmark")];
        GuardReport.Evaluate(Guards, first, null, out var firstFailures, out var tripped);
        Assert.Equal(["ScoringPeersBenchmark"], tripped);

        IReadOnlyList<BenchmarkResult> again = [R("HandWritten", 110, baseline: true), R("Alignment", 100), R("AlignmentEncoded", 41), R("RulesEngine", 9100)];
        var merged = GuardReport.Remeasured(first, again);
        Assert.Equal(5, merged.Count);
        string md = GuardReport.Evaluate(Guards, merged, (tripped, firstFailures), out var failures, out tripped);
        Assert.Empty(failures);
        Assert.Empty(tripped);
        Assert.Contains("### Re-measured", md, StringComparison.Ordinal);
        Assert.Contains("A guard tripped in the first run, so ScoringPeersBenchmark ran once more in a fresh process", md, StringComparison.Ordinal);
        Assert.Contains("- guards.txt line 2: ScoringPeersBenchmark.Alignment / ScoringPeersBenchmark.HandWritten is 1.90, outside the limit <= 1.25", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_AfterARemeasurement_AGuardFailsOnlyWhenItTrippedInBothRuns()
    {
        // Line 2 trips in the first run, so the class runs again; in the second, line 2 passes and line 3 (within its limit
        // in the first run) trips: nothing tripped twice, so nothing fails.
        IReadOnlyList<BenchmarkResult> first = [R("HandWritten", 100, baseline: true), R("Alignment", 190), R("AlignmentEncoded", 40), R("RulesEngine", 9000)];
        GuardReport.Evaluate(Guards, first, null, out var firstFailures, out var tripped);
        var firstMeasured = GuardReport.MeasureAll(Guards, first);
        Assert.Equal(1.9, firstMeasured[2], 3);
        IReadOnlyList<BenchmarkResult> again = [R("HandWritten", 100, baseline: true), R("Alignment", 100), R("AlignmentEncoded", 200), R("RulesEngine", 9000)];
        string md = GuardReport.Evaluate(Guards, GuardReport.Remeasured(first, again), (tripped, firstFailures), out var failures, out _, firstMeasured);
        Assert.Empty(failures);
        Assert.Contains("| 3 | ScoringPeersBenchmark.RulesEngine / ScoringPeersBenchmark.AlignmentEncoded | 45.00 | >= 50 | ok in the first run (225.00), tripped in the second only |", md, StringComparison.Ordinal);

        // A regression trips both runs: it fails.
        again = [R("HandWritten", 100, baseline: true), R("Alignment", 180), R("AlignmentEncoded", 40), R("RulesEngine", 9000)];
        GuardReport.Evaluate(Guards, GuardReport.Remeasured(first, again), (tripped, firstFailures), out failures, out _, firstMeasured);
        Assert.Equal(["guards.txt line 2: ScoringPeersBenchmark.Alignment / ScoringPeersBenchmark.HandWritten is 1.80, outside the limit <= 1.25 (issue 3: no slower than hand-written)."], failures);
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
    public void AScalingGuard_DividesEachSizeByItsOwnBaseline()
    {
        var guards = Guard.Parse(["(P.Rebuild(N=1000) / P.Hand(N=1000)) / (P.Rebuild(N=10) / P.Hand(N=10)) <= 1.5   # linear"], "guards.txt");
        var g = Assert.Single(guards);
        Assert.Equal(["P.Rebuild(N=1000)", "P.Hand(N=1000)", "P.Rebuild(N=10)", "P.Hand(N=10)"], g.Cases);
        BenchmarkResult At(string method, int n, double ns) => new("P", method, $"N={n}", ns, 0, false, "ShortRun", ns);

        // The small size ran while the machine was twice as busy: both of its cases are slower, the scaling ratio is not.
        GuardReport.Evaluate(guards, [At("Rebuild", 1000, 300), At("Hand", 1000, 200), At("Rebuild", 10, 6), At("Hand", 10, 4)], out var failures);
        Assert.Empty(failures);

        // The large size alone twice as slow (worse than linear): 2.00 > 1.5.
        GuardReport.Evaluate(guards, [At("Rebuild", 1000, 600), At("Hand", 1000, 200), At("Rebuild", 10, 3), At("Hand", 10, 2)], out failures);
        Assert.Equal(["guards.txt line 1: (P.Rebuild(N=1000) / P.Hand(N=1000)) / (P.Rebuild(N=10) / P.Hand(N=10)) is 2.00, outside the limit <= 1.5 (linear)."], failures);

        // One case that did not run makes the guard NOT RUN.
        GuardReport.Evaluate(guards, [At("Rebuild", 1000, 600), At("Hand", 1000, 200), At("Rebuild", 10, 0), At("Hand", 10, 2)], out failures);
        Assert.Contains(failures, f => f.StartsWith("guards.txt line 1: '(P.Rebuild(N=1000) / P.Hand(N=1000)) / (P.Rebuild(N=10) / P.Hand(N=10))' is NOT RUN: P.Rebuild(N=10) has no usable time", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_ARatioOfTwoClasses_IsRefused()
    {
        var ex = Assert.Throws<FormatException>(() => Guard.Parse(["A.B / C.D <= 2 # x"], "guards.txt"));
        Assert.StartsWith("guards.txt, line 1: every case of a guard must be a method of one class", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<FormatException>(() => Guard.Parse(["(A.B(N=2) / A.C(N=2)) / (A.B(N=1) / D.C(N=1)) <= 2 # x"], "guards.txt"));
        Assert.StartsWith("guards.txt, line 1: every case of a guard must be a method of one class", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAbsoluteGuard_ComparesTheMedianOrTheP99InNanoseconds_WithTheLimit()
    {
        var guards = Guard.Parse(
        [
            "HttpLoadRun.IngestPostgreSql median <= 1000000   # at least 1,000 decisions/s",
            "HttpLoadRun.IngestInMemory p99 <= 25000000       # p99 under 25 ms",
        ], "guards.txt");
        Assert.Equal(["median", "p99"], guards.Select(g => g.Absolute));
        Assert.All(guards, g => Assert.Null(g.Baseline));
        Assert.Equal(["HttpLoadRun.IngestPostgreSql median", "HttpLoadRun.IngestInMemory p99"], guards.Select(g => g.Description));
        BenchmarkResult Http(string method, double nsPerRequest, double p99) => new("HttpLoadRun", method, string.Empty, nsPerRequest, null, false, "wrk", nsPerRequest, p99);

        // 1,250 decisions/s (800 us per request) and a 20 ms p99: within both. The p99 guard reads the p99, not the median.
        string md = GuardReport.Evaluate(guards, [Http("IngestPostgreSql", 800_000, 90_000_000), Http("IngestInMemory", 100_000, 20_000_000)], out var failures);
        Assert.Empty(failures);
        Assert.Contains("| 1 | HttpLoadRun.IngestPostgreSql median | 800.00 µs | <= 1000000 | ok |", md, StringComparison.Ordinal);

        // 800 decisions/s, and a 26 ms p99 with a fast median.
        GuardReport.Evaluate(guards, [Http("IngestPostgreSql", 1_250_000, 1_000_000), Http("IngestInMemory", 1_000, 26_000_000)], out failures);
        Assert.Equal(
        [
            "guards.txt line 1: HttpLoadRun.IngestPostgreSql median is 1.25 ms, outside the limit <= 1000000 (at least 1,000 decisions/s).",
            "guards.txt line 2: HttpLoadRun.IngestInMemory p99 is 26.00 ms, outside the limit <= 25000000 (p99 under 25 ms).",
        ], failures);
    }

    [Fact]
    public void Parse_AnAbsoluteGuardWithABaseline_OrAnUnknownStatistic_IsRefused()
    {
        var ex = Assert.Throws<FormatException>(() => Guard.Parse(["A.B p95 <= 2 # x"], "guards.txt"));
        Assert.StartsWith("guards.txt, line 1: expected", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<FormatException>(() => Guard.Parse(["A.B / A.C p99 <= 2 # x"], "guards.txt"));
        Assert.StartsWith("guards.txt, line 1: expected", ex.Message, StringComparison.Ordinal);
    }
}
