using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.InteropServices;
using Alignment.Scoring;
using Alignment.Scoring.Definitions;
using BenchmarkDotNet.Attributes;

namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// Compiling models with 100,000 distinct text values (one <c>in</c> set, or 100,000 <c>equals</c> rules on one field), each
/// beside a hand-written peer of the same size that does the same work plainly (check every value and rule id, intern the
/// texts case-insensitively, build the frozen lookup the engine matches with). The guards divide the engine by its peer, so a
/// machine whose large allocations, hashing and collections are slow today moves both sides, while a quadratic step or an
/// engine twice as slow moves only the engine. BenchmarkDotNet's own invocation count is kept: one invocation per iteration
/// after a full collection (<c>InvocationCount(1)</c>, with and without <c>GCRetainVM</c> or concurrent GC off) measured
/// noisier, not steadier (docs/performance.md).
/// </summary>
[MemoryDiagnoser]
public class ModelCompileScaleBenchmark
{
    /// <summary>The number of distinct values in the large models.</summary>
    public const int LargeValueCount = 100_000;

    private ScoringModelDefinition _inSet = null!;
    private ScoringModelDefinition _equalsRules = null!;
    private ScoringModelOptions _largeOptions = null!;

    /// <summary>Generates the two large models.</summary>
    [GlobalSetup]
    public void Setup()
    {
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

    /// <summary>Validate and compile one rule whose <c>in</c> set has 100,000 distinct texts.</summary>
    /// <returns>The compiled model.</returns>
    [Benchmark]
    public ScoringModel CompileInSet100000() => ScoringModel.Compile(_inSet, _largeOptions);

    /// <summary>Validate and compile 100,000 <c>equals</c> rules on one text field, each with its own value.</summary>
    /// <returns>The compiled model.</returns>
    [Benchmark]
    public ScoringModel CompileEquals100000() => ScoringModel.Compile(_equalsRules, _largeOptions);

    /// <summary>
    /// The <c>in</c> set written plainly: check each value, reject duplicates case-insensitively, freeze the set.
    /// </summary>
    /// <returns>The frozen set.</returns>
    [Benchmark(Baseline = true)]
    public FrozenSet<string> HandWrittenInSet100000()
    {
        var condition = (FieldCondition)((ProfileRuleDefinition)_inSet.Rules[0]).When;
        var seen = new HashSet<string>(condition.Values.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var value in condition.Values)
        {
            var text = value.Text;
            if (string.IsNullOrWhiteSpace(text) || !seen.Add(text))
            {
                throw new InvalidOperationException("Bad or repeated value.");
            }
        }

        return seen.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The 100,000 <c>equals</c> rules written plainly: check each rule (unique id, known field, one text value), add its points
    /// to its value's total, freeze the value-to-points lookup.
    /// </summary>
    /// <returns>The frozen lookup.</returns>
    [Benchmark]
    public FrozenDictionary<string, decimal> HandWrittenEquals100000()
    {
        var ids = new HashSet<string>(_equalsRules.Rules.Length, StringComparer.OrdinalIgnoreCase);
        var points = new Dictionary<string, decimal>(_equalsRules.Rules.Length, StringComparer.OrdinalIgnoreCase);
        foreach (var definition in _equalsRules.Rules)
        {
            var rule = (ProfileRuleDefinition)definition;
            var condition = (FieldCondition)rule.When;
            if (!ids.Add(rule.Id) || !string.Equals(condition.Field, "company.industry", StringComparison.OrdinalIgnoreCase)
                || condition.Values.Length != 1 || string.IsNullOrWhiteSpace(condition.Values[0].Text))
            {
                throw new InvalidOperationException("Bad rule.");
            }

            ref var total = ref CollectionsMarshal.GetValueRefOrAddDefault(points, condition.Values[0].Text!, out _);
            total += rule.Points;
        }

        return points.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    private static string Industry(int i) => string.Create(CultureInfo.InvariantCulture, $"Industry-{i:D6}");
}

