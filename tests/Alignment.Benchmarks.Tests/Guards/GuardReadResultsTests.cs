using Alignment.Benchmarks.Guards;

namespace Alignment.Benchmarks.Tests.Guards;

public sealed class GuardReadResultsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "guards-" + Guid.NewGuid().ToString("N"));

    public GuardReadResultsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Guard[] Guards =
    [
        .. Guard.Parse(
        [
            "EngagementScoringBenchmark.Alignment / EngagementScoringBenchmark.HandWritten <= 0.45  # engagement",
            "EngagementScoringBenchmark.Alignment allocated <= 0  # 0 B per activity",
        ], "guards.txt"),
    ];

    private static string Case(string method, string mean, string median, long roundedBytes) => $$"""
        { "DisplayInfo": "EngagementScoringBenchmark.{{method}}: ShortRun(IterationCount=7)", "Namespace": "Alignment.Benchmarks.Scoring",
          "Type": "EngagementScoringBenchmark", "Method": "{{method}}", "MethodTitle": "{{method}}", "Parameters": "",
          "Statistics": { "N": 7, "Min": 4.1, "Mean": {{mean}}, "Median": {{median}} },
          "Memory": { "Gen0Collections": 0, "Gen1Collections": 0, "Gen2Collections": 0, "TotalOperations": 80000000, "BytesAllocatedPerOperation": {{roundedBytes}} } }
        """;

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_dir, name), text);

    private IReadOnlyList<BenchmarkResult> Read() => GuardReport.ReadResults(_dir, (_, m) => m == "HandWritten");

    [Fact]
    public void AMeanThatBenchmarkDotNetWroteAsAnEmptyString_IsNotRun_NotAnException()
    {
        // BenchmarkDotNet writes NaN (every iteration failed) as "" in its JSON; GetDouble threw InvalidOperationException.
        Write("Engagement-report-full-compressed.json", $$"""{ "Benchmarks": [ {{Case("HandWritten", "17.1", "17.0", 0)}}, {{Case("Alignment", "\"\"", "\"\"", 0)}} ] }""");
        Write("Engagement-allocations.json", """{ "Benchmarks": [ { "Type": "EngagementScoringBenchmark", "Method": "Alignment", "Parameters": "", "TotalOperations": 80000000, "TotalAllocatedBytes": 0 } ] }""");
        var results = Read();
        var alignment = Assert.Single(results, r => r.Method == "Alignment");
        Assert.Null(alignment.MeanNanoseconds);
        Assert.False(alignment.HasTime);
        GuardReport.Evaluate(Guards, results, out var failures);
        Assert.Contains(failures, f => f.StartsWith("guards.txt line 1: 'EngagementScoringBenchmark.Alignment / EngagementScoringBenchmark.HandWritten' is NOT RUN", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("guards.txt line 2: 'EngagementScoringBenchmark.Alignment allocated' is NOT RUN", StringComparison.Ordinal));
    }

    [Fact]
    public void AllocationPerOperation_ComesFromTheTotals_SoAFewBytesPerLeadDoNotRoundToZero()
    {
        // 16 invocations x 100,000 leads x 50 activities; 24 B per lead is 0.48 B per activity, which BenchmarkDotNet rounds to 0 B.
        Write("Engagement-report-full-compressed.json", $$"""{ "Benchmarks": [ {{Case("HandWritten", "17.1", "17.0", 0)}}, {{Case("Alignment", "4.9", "4.8", 0)}} ] }""");
        Write("Engagement-allocations.json", """{ "Benchmarks": [ { "Type": "EngagementScoringBenchmark", "Method": "Alignment", "Parameters": "", "TotalOperations": 80000000, "TotalAllocatedBytes": 38400000 } ] }""");
        var alignment = Assert.Single(Read(), r => r.Method == "Alignment");
        Assert.Equal(0.48, alignment.AllocatedBytes!.Value, 10);
        Assert.Equal(4.8, alignment.MedianNanoseconds);
        GuardReport.Evaluate(Guards, Read(), out var failures);
        Assert.Equal(["guards.txt line 2: EngagementScoringBenchmark.Alignment allocated is 0.48 B, outside the limit <= 0 (0 B per activity)."], failures);
    }

    [Fact]
    public void WithoutAllocationTotals_AnAllocationGuardIsNotRun_RatherThanTrustingTheRoundedFigure()
    {
        Write("Engagement-report-full-compressed.json", $$"""{ "Benchmarks": [ {{Case("HandWritten", "17.1", "17.0", 0)}}, {{Case("Alignment", "4.9", "4.8", 0)}} ] }""");
        GuardReport.Evaluate(Guards, Read(), out var failures);
        Assert.Equal(["guards.txt line 2: 'EngagementScoringBenchmark.Alignment allocated' is NOT RUN: EngagementScoringBenchmark.Alignment has no allocation figure (run through this program, whose exporter writes the allocation totals)."], failures);
    }

    [Fact]
    public void TheHttpLoadRunReport_GivesTheMedianAsTimePerRequest_AndTheP99_ForAbsoluteGuards()
    {
        // What eng/load.sh writes: median = 1e9 / requests per second; Percentiles.P99 = the p99 latency, both in ns.
        Write("HttpLoadRun-report-full.json", """
            {"Title":"HttpLoadRun-20261204-140000","Source":"eng/load.sh","Benchmarks":[
             {"DisplayInfo":"HttpLoadRun.Bare: wrk -t2 -c64 -d10s(Concurrency=64)","Type":"HttpLoadRun","Method":"Bare","Parameters":"","Statistics":{"N":150000,"Mean":66666.667,"Median":66666.667,"Percentiles":{"P99":9000000}}},
             {"DisplayInfo":"HttpLoadRun.IngestInMemory: wrk -t2 -c64 -d10s(Concurrency=64)","Type":"HttpLoadRun","Method":"IngestInMemory","Parameters":"","Statistics":{"N":50000,"Mean":200000,"Median":200000,"Percentiles":{"P99":30000000}}},
             {"DisplayInfo":"HttpLoadRun.IngestPostgreSql: wrk -t2 -c64 -d10s(Concurrency=64)","Type":"HttpLoadRun","Method":"IngestPostgreSql","Parameters":"","Statistics":{"N":8000,"Mean":1250000,"Median":1250000,"Percentiles":{"P99":80000000}}}]}
            """);
        var results = GuardReport.ReadResults(_dir, (t, m) => $"{t}.{m}" == "HttpLoadRun.Bare");
        var memory = Assert.Single(results, r => r.Method == "IngestInMemory");
        Assert.Equal(30_000_000, memory.P99Nanoseconds);
        Assert.Equal(200_000, memory.MedianNanoseconds);
        Assert.Equal("wrk -t2 -c64 -d10s", memory.Job);
        var guards = Guard.Parse(
        [
            "HttpLoadRun.IngestInMemory / HttpLoadRun.Bare <= 2.5   # 40 % of bare",
            "HttpLoadRun.IngestInMemory p99 <= 25000000           # p99 under 25 ms",
            "HttpLoadRun.IngestPostgreSql median <= 1000000       # 1,000 decisions/s",
        ], "guards.txt");
        GuardReport.Evaluate(guards, results, out var failures);
        Assert.Equal(
        [
            "guards.txt line 1: HttpLoadRun.IngestInMemory / HttpLoadRun.Bare is 3.00, outside the limit <= 2.5 (40 % of bare).",
            "guards.txt line 2: HttpLoadRun.IngestInMemory p99 is 30.00 ms, outside the limit <= 25000000 (p99 under 25 ms).",
            "guards.txt line 3: HttpLoadRun.IngestPostgreSql median is 1.25 ms, outside the limit <= 1000000 (1,000 decisions/s).",
        ], failures);
    }

    [Fact]
    public void AP99Guard_OverABenchmarkDotNetReport_WhichHasNoP99_IsNotRun()
    {
        Write("Engagement-report-full-compressed.json", $$"""{ "Benchmarks": [ {{Case("HandWritten", "17.1", "17.0", 0)}}, {{Case("Alignment", "4.9", "4.8", 0)}} ] }""");
        var alignment = Assert.Single(Read(), r => r.Method == "Alignment");
        Assert.Null(alignment.P99Nanoseconds);
        GuardReport.Evaluate(Guard.Parse(["EngagementScoringBenchmark.Alignment p99 <= 1000  # fast"], "guards.txt"), Read(), out var failures);
        Assert.Equal(["guards.txt line 1: 'EngagementScoringBenchmark.Alignment p99' is NOT RUN: EngagementScoringBenchmark.Alignment has no usable p99 figure (a p99 comes from the HTTP load run's report, eng/load.sh)."], failures);
    }
}
