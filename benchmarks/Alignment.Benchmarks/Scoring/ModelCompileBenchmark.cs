using Alignment.Scoring;
using Alignment.Scoring.Definitions;
using BenchmarkDotNet.Attributes;

namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// Loading (parse + validate) and compiling a 200-rule model (target under 10 ms). The models with 100,000 values are in
/// <see cref="ModelCompileScaleBenchmark"/>.
/// </summary>
[MemoryDiagnoser]
public class ModelCompileBenchmark
{
    private string _json = null!;
    private ScoringModelDefinition _definition = null!;
    private ScoringModelOptions _options = null!;

    /// <summary>Generates the 200-rule model.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _json = ModelGenerator.Generate(200);
        _options = new ScoringModelOptions { Schema = PeerAttributes.Schema, Document = "generated-200" };
        _definition = ScoringModelJson.Parse(_json);
    }

    /// <summary>Parse, validate and compile from JSON text.</summary>
    /// <returns>The compiled model.</returns>
    [Benchmark(Baseline = true)]
    public ScoringModel LoadAndCompile200() => ScoringModel.Load(_json, _options);

    /// <summary>Parse and validate only.</summary>
    /// <returns>The definition.</returns>
    [Benchmark]
    public ScoringModelDefinition Parse200() => ScoringModelJson.Parse(_json);

    /// <summary>Compile an already parsed definition.</summary>
    /// <returns>The compiled model.</returns>
    [Benchmark]
    public ScoringModel Compile200() => ScoringModel.Compile(_definition, _options);
}
