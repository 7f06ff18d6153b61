using Alignment.Leads;
using Alignment.Scoring;
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
    private ScoringModel _model = null!;
    private EncodedLeadBatch _encoded = null!;
    private LeadScore[] _results = null!;
    private static readonly DateTimeOffset AsOf = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

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
        _model = ScoringPeersModel.Compile();
        _encoded = _model.Encode(_leads);
        _results = new LeadScore[LeadCount];
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

    /// <summary>Alignment's compiled model over the plain <see cref="Lead"/> objects (no pre-encoding), batch API into caller memory.</summary>
    /// <returns>The sum of the scores.</returns>
    [Benchmark(OperationsPerInvoke = LeadCount)]
    public long Alignment()
    {
        _model.ScoreBatch(_leads, LeadActivities.None, AsOf, _results);
        return Sum(_results);
    }

    /// <summary>Alignment over leads encoded once in the engine's batch format (attributes change rarely, leads are rescored often).</summary>
    /// <returns>The sum of the scores.</returns>
    [Benchmark(OperationsPerInvoke = LeadCount)]
    public long AlignmentEncoded()
    {
        _model.ScoreEncoded(_encoded, LeadActivities.None, AsOf, _results);
        return Sum(_results);
    }

    /// <summary>Alignment over the encoded leads on all cores.</summary>
    /// <returns>The sum of the scores.</returns>
    [Benchmark(OperationsPerInvoke = LeadCount)]
    public long AlignmentParallel()
    {
        _model.ScoreEncodedParallel(_encoded, AsOf, _results);
        return Sum(_results);
    }

    private static long Sum(LeadScore[] results)
    {
        long sum = 0;
        foreach (ref readonly var r in results.AsSpan())
        {
            sum += r.TotalHundredths;
        }

        return sum / 100;
    }
}
