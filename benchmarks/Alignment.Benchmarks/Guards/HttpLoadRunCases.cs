namespace Alignment.Benchmarks.Guards;

/// <summary>
/// The cases of the HTTP load run (<c>eng/load.sh</c>: <c>alignment serve</c> under wrk), which is not a BenchmarkDotNet class:
/// the script writes a BenchmarkDotNet-shaped report for the pseudo class <see cref="Type"/> (<c>HttpLoadRun-report-full.json</c>)
/// whose median is nanoseconds per request at the measured throughput (1e9 / requests per second, so a ratio of two cases is
/// the inverse ratio of their throughputs) and whose <c>Statistics.Percentiles.P99</c> is the p99 latency in nanoseconds.
/// Guards name these cases like any other; <see cref="Baseline"/> is the class's baseline.
/// </summary>
public static class HttpLoadRunCases
{
    /// <summary>The pseudo class's name in the report and in guards.txt.</summary>
    public const string Type = "HttpLoadRun";

    /// <summary>The baseline: <c>POST /v1/bare</c>, the same app, key and rate limiter, deciding nothing.</summary>
    public const string Baseline = "Bare";

    /// <summary>Every case the script measures, as <c>Type.Method</c>.</summary>
    public static IReadOnlyList<string> Keys { get; } = [$"{Type}.{Baseline}", $"{Type}.IngestInMemory", $"{Type}.IngestPostgreSql"];
}
