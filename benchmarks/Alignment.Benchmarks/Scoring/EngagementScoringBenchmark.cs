using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring;
using BenchmarkDotNet.Attributes;

namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// 100,000 leads with 50 timestamped activities each, scored with 15 engagement rules (windows, caps, half-life decay).
/// The reported mean is per activity (<c>OperationsPerInvoke</c> = leads × activities).
/// </summary>
[MemoryDiagnoser]
public class EngagementScoringBenchmark
{
    /// <summary>Leads per invocation.</summary>
    public const int LeadCount = 100_000;

    /// <summary>Activities per lead.</summary>
    public const int ActivitiesPerLead = 50;

    private const int Operations = LeadCount * ActivitiesPerLead;

    private Lead[] _leads = null!;
    private LeadActivity[] _activities = null!;
    private int[] _offsets = null!;
    private ScoringModel _model = null!;
    private LeadScore[] _results = null!;

    /// <summary>Generates the workload and compiles the model.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_leads, _activities, _offsets) = EngagementWorkload.Create(LeadCount, ActivitiesPerLead);
        _model = EngagementWorkload.Compile();
        _results = new LeadScore[LeadCount];
    }

    /// <summary>The same rules written by hand with <see cref="Math.Pow(double, double)"/> per activity (the baseline).</summary>
    /// <returns>The sum of the scores in hundredths.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public long HandWritten()
    {
        long sum = 0;
        for (int i = 0; i < _leads.Length; i++)
        {
            sum += EngagementHandWritten.Score(_activities.AsSpan(_offsets[i], _offsets[i + 1] - _offsets[i]), EngagementWorkload.AsOf);
        }

        return sum;
    }

    /// <summary>Alignment's batch API, one thread.</summary>
    /// <returns>The sum of the scores in hundredths.</returns>
    [Benchmark(OperationsPerInvoke = Operations)]
    public long Alignment()
    {
        _model.ScoreBatch(_leads, new LeadActivities(_activities, _offsets), EngagementWorkload.AsOf, _results);
        long sum = 0;
        foreach (ref readonly var r in _results.AsSpan())
        {
            sum += r.TotalHundredths;
        }

        return sum;
    }
}
