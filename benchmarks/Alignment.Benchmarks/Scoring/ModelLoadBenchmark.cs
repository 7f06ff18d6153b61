using System.Text.Json;
using Alignment.Scoring;
using BenchmarkDotNet.Attributes;

namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// The time guard on model loading: <see cref="ScoringModel.Load(string, ScoringModelOptions)"/> of the 200-rule generated
/// model (parse, validate, compile) against <see cref="JsonDocumentWalk"/>, which parses the same JSON text with
/// <see cref="JsonDocument"/> and visits every value. The baseline does not change when the engine does, so the ratio moves
/// only with the engine; both run in one process, so a busy machine slows both. (<see cref="ModelCompileBenchmark"/> has the
/// load, parse and compile steps apart.)
/// </summary>
[MemoryDiagnoser]
[IterationCount(15)]
public class ModelLoadBenchmark
{
    private string _json = null!;
    private ScoringModelOptions _options = null!;

    /// <summary>Generates the 200-rule model.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _json = ModelGenerator.Generate(200);
        _options = new ScoringModelOptions { Schema = PeerAttributes.Schema, Document = "generated-200" };
    }

    /// <summary>The baseline: parse the same text with <see cref="JsonDocument"/> and visit every value.</summary>
    /// <returns>The number of values and the total length of the strings and property names.</returns>
    [Benchmark(Baseline = true)]
    public long JsonDocumentWalk()
    {
        using var doc = JsonDocument.Parse(_json);
        return Visit(doc.RootElement);
    }

    /// <summary>Parse, validate and compile from JSON text (what a host does at start-up).</summary>
    /// <returns>The compiled model.</returns>
    [Benchmark]
    public ScoringModel LoadAndCompile200() => ScoringModel.Load(_json, _options);

    private static long Visit(JsonElement e)
    {
        long n = 1;
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    n += p.Name.Length + Visit(p.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    n += Visit(item);
                }

                break;
            case JsonValueKind.String:
                n += e.GetString()!.Length;
                break;
            case JsonValueKind.Number:
                n += (long)e.GetDouble();
                break;
        }

        return n;
    }
}
