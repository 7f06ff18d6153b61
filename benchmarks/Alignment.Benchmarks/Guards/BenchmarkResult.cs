namespace Alignment.Benchmarks.Guards;

/// <summary>One measured benchmark case, as read from BenchmarkDotNet's full JSON report.</summary>
/// <param name="Type">The benchmark class (for example <c>ScoringPeersBenchmark</c>).</param>
/// <param name="Method">The benchmark method.</param>
/// <param name="Parameters">The parameters, as BenchmarkDotNet writes them (for example <c>N=1000</c>), or empty.</param>
/// <param name="MeanNanoseconds">The mean time per operation, or <see langword="null"/> when the case did not run.</param>
/// <param name="AllocatedBytes">
/// Bytes allocated per operation, computed from the run's total bytes and total operations (not rounded), or
/// <see langword="null"/> when not measured.
/// </param>
/// <param name="IsBaseline">Whether the method is its class's baseline.</param>
/// <param name="Job">The BenchmarkDotNet job that measured it (for example <c>ShortRun</c>).</param>
/// <param name="MedianNanoseconds">
/// The median time per operation, or <see langword="null"/> when the case did not run. Ratio guards compare medians: on a
/// shared machine one slow iteration moves the mean, not the median.
/// </param>
/// <param name="P99Nanoseconds">
/// The 99th percentile, in nanoseconds, when the report has one (<c>Statistics.Percentiles.P99</c>: the HTTP load run's p99
/// latency; BenchmarkDotNet's reports stop at P95); otherwise <see langword="null"/>.
/// </param>
public sealed record BenchmarkResult(string Type, string Method, string Parameters, double? MeanNanoseconds, double? AllocatedBytes, bool IsBaseline, string Job = "", double? MedianNanoseconds = null, double? P99Nanoseconds = null)
{
    /// <summary>The key guards use: <c>Type.Method</c>, plus <c>(Parameters)</c> when there are any.</summary>
    public string Key => Parameters.Length == 0 ? $"{Type}.{Method}" : $"{Type}.{Method}({Parameters})";

    /// <summary>
    /// Whether the case has a usable time: a finite, positive mean and median. A zero, negative, non-finite or missing figure
    /// (BenchmarkDotNet writes NaN when every iteration failed) means the case did not run; a ratio over it would be 0 or
    /// infinity and pass one side of every guard.
    /// </summary>
    public bool HasTime => IsUsable(MeanNanoseconds) && IsUsable(MedianNanoseconds);

    private static bool IsUsable(double? value) => value is double v && double.IsFinite(v) && v > 0;
}
