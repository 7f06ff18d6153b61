using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring;
using BenchmarkDotNet.Attributes;

namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// Issue 16: computing when a lead's decayed score next crosses a threshold (<see cref="ScoringModel.NextCrossing"/>) against
/// one <see cref="ScoringModel.Score"/> of the same lead at the same instant, which is what re-scoring every lead every day
/// costs per lead and day. 1,000 leads of the engagement workload (50 activities each over 180 days, a few dated later; the
/// 15-rule model with windows, caps, half-life decay, negative rules); the reported mean is per lead.
/// </summary>
[MemoryDiagnoser]
public class DecayCrossingBenchmark
{
    /// <summary>Leads per invocation.</summary>
    public const int LeadCount = 1_000;

    private Lead[] _leads = null!;
    private LeadActivity[] _activities = null!;
    private int[] _offsets = null!;
    private ScoringModel _model = null!;

    /// <summary>Generates the workload and compiles the model.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_leads, _activities, _offsets) = EngagementWorkload.Create(LeadCount, EngagementScoringBenchmark.ActivitiesPerLead);
        _model = EngagementWorkload.Compile();
    }

    /// <summary>One explained score per lead (the baseline: the engine's own <c>Score</c>, the same run).</summary>
    /// <returns>The sum of the totals.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = LeadCount)]
    public decimal Score()
    {
        decimal sum = 0;
        for (int i = 0; i < _leads.Length; i++)
        {
            sum += _model.Score(_leads[i], Activities(i), EngagementWorkload.AsOf).Total;
        }

        return sum;
    }

    /// <summary>One score without an explanation per lead (reported, not guarded).</summary>
    /// <returns>The sum of the totals in hundredths.</returns>
    [Benchmark(OperationsPerInvoke = LeadCount)]
    public long Evaluate()
    {
        long sum = 0;
        for (int i = 0; i < _leads.Length; i++)
        {
            sum += _model.Evaluate(_leads[i], Activities(i), EngagementWorkload.AsOf).TotalHundredths;
        }

        return sum;
    }

    /// <summary>The next threshold crossing of every lead.</summary>
    /// <returns>The sum of the crossing instants' ticks.</returns>
    [Benchmark(OperationsPerInvoke = LeadCount)]
    public long NextCrossing()
    {
        long sum = 0;
        for (int i = 0; i < _leads.Length; i++)
        {
            if (_model.NextCrossing(_leads[i], Activities(i), EngagementWorkload.AsOf) is { } c)
            {
                sum += c.At.UtcTicks;
            }
        }

        return sum;
    }

    private ReadOnlySpan<LeadActivity> Activities(int i) => _activities.AsSpan(_offsets[i], _offsets[i + 1] - _offsets[i]);
}
