using System.Collections.Immutable;
using System.Globalization;
using Alignment.Scoring;
using Alignment.Scoring.Definitions;
using BenchmarkDotNet.Attributes;

namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// Loading (parse + validate) and compiling a 200-rule model (target under 10 ms), and compiling models with 100,000 distinct
/// text values (one <c>in</c> set, or 100,000 <c>equals</c> rules): their ratios to the 200-rule case show that compile cost
/// stays about linear in the number of values (a quadratic step makes them hundreds of times larger).
/// </summary>
[MemoryDiagnoser]
public class ModelCompileBenchmark
{
    /// <summary>The number of distinct values in the large models.</summary>
    public const int LargeValueCount = 100_000;

    private string _json = null!;
    private ScoringModelDefinition _definition = null!;
    private ScoringModelOptions _options = null!;
    private ScoringModelDefinition _inSet = null!;
    private ScoringModelDefinition _equalsRules = null!;
    private ScoringModelOptions _largeOptions = null!;

    /// <summary>Generates the 200-rule model and the two large ones.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _json = ModelGenerator.Generate(200);
        _options = new ScoringModelOptions { Schema = PeerAttributes.Schema, Document = "generated-200" };
        _definition = ScoringModelJson.Parse(_json);
        _largeOptions = new ScoringModelOptions { Document = "generated-100000" };
        var values = Enumerable.Range(0, LargeValueCount).Select(i => ConditionValue.FromText(Industry(i))).ToImmutableArray();
        _inSet = new ScoringModelDefinition("in-set-100000", "1.0.0")
        {
            Rules = [new ProfileRuleDefinition("industry", ScoreComponent.Fit, 10, new FieldCondition("company.industry", ConditionOperator.In, values))],
        };
        _equalsRules = new ScoringModelDefinition("equals-100000", "1.0.0")
        {
            Rules = [.. Enumerable.Range(0, LargeValueCount).Select(i => (ScoringRuleDefinition)new ProfileRuleDefinition(
                string.Create(CultureInfo.InvariantCulture, $"industry-{i}"), ScoreComponent.Fit, 1 + (i % 10),
                new FieldCondition("company.industry", ConditionOperator.Equals, [ConditionValue.FromText(Industry(i))])))],
        };
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

    /// <summary>Validate and compile one rule whose <c>in</c> set has 100,000 distinct texts.</summary>
    /// <returns>The compiled model.</returns>
    [Benchmark]
    public ScoringModel CompileInSet100000() => ScoringModel.Compile(_inSet, _largeOptions);

    /// <summary>Validate and compile 100,000 <c>equals</c> rules on one text field, each with its own value.</summary>
    /// <returns>The compiled model.</returns>
    [Benchmark]
    public ScoringModel CompileEquals100000() => ScoringModel.Compile(_equalsRules, _largeOptions);

    private static string Industry(int i) => string.Create(CultureInfo.InvariantCulture, $"Industry-{i:D6}");
}
