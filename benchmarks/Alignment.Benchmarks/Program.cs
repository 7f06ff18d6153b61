using BenchmarkDotNet.Running;

namespace Alignment.Benchmarks;

/// <summary>Entry point: <c>dotnet run -c Release --project benchmarks/Alignment.Benchmarks -- --filter '*'</c>.</summary>
public static class Program
{
    /// <summary>Runs the benchmarks selected on the command line.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
