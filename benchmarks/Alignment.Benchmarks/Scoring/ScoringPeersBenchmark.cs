using Alignment.Leads;
using BenchmarkDotNet.Attributes;

namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// Scores the same 10,000 peer-workload leads with each implementation; results are per lead (<c>OperationsPerInvoke</c>).
/// Each method returns the sum of the scores so that nothing is optimized away.
/// </summary>
[MemoryDiagnoser]
public class ScoringPeersBenchmark
{
    /// <summary>The number of leads scored per invocation.</summary>
    public const int LeadCount = 10_000;

    private PeerLead[] _peerLeads = null!;
    private Lead[] _leads = null!;
    private int[] _scores = null!;
    private HandWrittenScorer _handWritten = null!;
    private RulesEngineScorer _rulesEngine = null!;
    private NRulesScorer _nrules = null!;

    /// <summary>Generates the leads and builds (and warms) every scorer.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _peerLeads = PeerWorkload.CreatePeerLeads(LeadCount);
        _leads = PeerWorkload.ToLeads(_peerLeads);
        _scores = new int[LeadCount];
        _handWritten = new HandWrittenScorer(PeerAttributes.Schema);
        _rulesEngine = new RulesEngineScorer();
        _nrules = new NRulesScorer();
    }

    /// <summary>The 40 conditions inline in one C# method (the baseline).</summary>
    /// <returns>The sum of the scores.</returns>
    [Benchmark(Baseline = true, OperationsPerInvoke = LeadCount)]
    public long HandWritten()
    {
        long sum = 0;
        foreach (Lead lead in _leads)
        {
            sum += _handWritten.Score(lead);
        }

        return sum;
    }

    /// <summary>Microsoft RulesEngine 6.0.1, one <c>ExecuteAllRulesAsync</c> per lead.</summary>
    /// <returns>The sum of the scores.</returns>
    [Benchmark(OperationsPerInvoke = LeadCount)]
    public async Task<long> RulesEngine()
    {
        long sum = 0;
        foreach (PeerLead lead in _peerLeads)
        {
            sum += await _rulesEngine.ScoreAsync(lead).ConfigureAwait(false);
        }

        return sum;
    }

    /// <summary>NRules 1.0.4, 1,000 leads per session, then <c>Fire</c>.</summary>
    /// <returns>The sum of the scores.</returns>
    [Benchmark(OperationsPerInvoke = LeadCount)]
    public long NRules() => _nrules.ScoreAll(_peerLeads, _scores);

    // Alignment, AlignmentEncoded, AlignmentParallel: added with the engine
}
