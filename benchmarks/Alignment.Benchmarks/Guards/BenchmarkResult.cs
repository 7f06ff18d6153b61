namespace Alignment.Benchmarks.Guards;

/// <summary>One measured benchmark case, as read from BenchmarkDotNet's full JSON report.</summary>
/// <param name="Type">The benchmark class (for example <c>ScoringPeersBenchmark</c>).</param>
/// <param name="Method">The benchmark method.</param>
/// <param name="Parameters">The parameters, as BenchmarkDotNet writes them (for example <c>N=1000</c>), or empty.</param>
/// <param name="MeanNanoseconds">The mean time per operation, or <see langword="null"/> when the case did not run.</param>
/// <param name="AllocatedBytes">Bytes allocated per operation, or <see langword="null"/> when not measured.</param>
/// <param name="IsBaseline">Whether the method is its class's baseline.</param>
/// <param name="Job">The BenchmarkDotNet job that measured it (for example <c>ShortRun</c>).</param>
public sealed record BenchmarkResult(string Type, string Method, string Parameters, double? MeanNanoseconds, double? AllocatedBytes, bool IsBaseline, string Job = "")
{
    /// <summary>The key guards use: <c>Type.Method</c>, plus <c>(Parameters)</c> when there are any.</summary>
    public string Key => Parameters.Length == 0 ? $"{Type}.{Method}" : $"{Type}.{Method}({Parameters})";
}
