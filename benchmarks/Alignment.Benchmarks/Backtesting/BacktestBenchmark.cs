using Alignment.Activities;
using Alignment.Benchmarks.Scoring;
using Alignment.Leads;
using Alignment.Scoring;
using Alignment.Scoring.Backtesting;
using BenchmarkDotNet.Attributes;

namespace Alignment.Benchmarks.Backtesting;

/// <summary>
/// Backtests the 40-rule peer model (<see cref="ScoringPeersModel"/>) on N historical leads of the peer workload, each with its own
/// scoring instant spread over a year, two activities (one after the scoring instant, which must not count) and a generated outcome
/// whose win probability rises with the lead's score. Measures the whole <see cref="Backtester.Run"/> (replay, bands, AUC, calibration,
/// lift, capacity and precision thresholds) and the replay alone. <see cref="HandWrittenReplay"/> (the baseline) scores the same
/// leads with the hand-written 40-condition scorer, split over the cores as the replay is: a uniformly slower engine moves
/// Replay / HandWrittenReplay, which Run / Replay does not see.
/// Run: <c>dotnet run -c Release --project benchmarks/Alignment.Benchmarks -- --filter '*BacktestBenchmark*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
[IterationCount(15)]
public class BacktestBenchmark
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private ScoringModel _model = null!;
    private BacktestHistory _history = null!;
    private BacktestOptions _options = null!;
    private Lead[] _leads = null!;
    private HandWrittenScorer _handWritten = null!;

    /// <summary>Gets or sets the number of historical leads.</summary>
    [Params(1_000_000)]
    public int N { get; set; }

    /// <summary>Creates a history of <paramref name="count"/> peer leads with outcomes drawn from their score (deterministic).</summary>
    /// <param name="model">The model whose score drives the win probability.</param>
    /// <param name="count">How many leads.</param>
    /// <returns>The history.</returns>
    public static BacktestHistory CreateHistory(ScoringModel model, int count)
    {
        Lead[] leads = PeerWorkload.CreateLeads(count);
        var random = new PeerRandom(20_260_402);
        var builder = new BacktestHistoryBuilder();
        var activities = new LeadActivity[2];
        for (int i = 0; i < leads.Length; i++)
        {
            var at = Start + TimeSpan.FromHours(i % (365 * 24));
            activities[0] = new LeadActivity(ActivityType.PageView, at - TimeSpan.FromDays(3)) { Url = "/pricing" };
            activities[1] = new LeadActivity(ActivityType.DemoRequested, at + TimeSpan.FromDays(2));
            double score = (double)model.Evaluate(leads[i], default, at).Total;
            double pWin = Math.Clamp(0.02 + (score / 250), 0.02, 0.6);
            double draw = random.NextDouble();
            var outcome = draw < pWin ? BacktestOutcome.Won : draw < 0.8 ? BacktestOutcome.Lost : draw < 0.9 ? BacktestOutcome.Disqualified : BacktestOutcome.Open;
            builder.Add(leads[i], at, outcome, outcome == BacktestOutcome.Open ? null : at + TimeSpan.FromDays(30), activities);
        }

        return builder.Build();
    }

    /// <summary>Builds the model and the history once per N.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _model = ScoringPeersModel.Compile();
        _history = CreateHistory(_model, N);
        _options = new BacktestOptions { CapacityPerMonth = 20_000, TargetPrecision = 0.4 };
        _leads = PeerWorkload.CreateLeads(N);
        _handWritten = new HandWrittenScorer(PeerAttributes.Schema);
    }

    /// <summary>The full backtest report.</summary>
    /// <returns>The report.</returns>
    [Benchmark]
    public BacktestReport Run() => Backtester.Run(_model, _history, _options);

    /// <summary>Scoring every lead as of its own instant, without the measures.</summary>
    /// <returns>The scores.</returns>
    [Benchmark]
    public LeadScore[] Replay() => Backtester.Replay(_model, _history);

    /// <summary>The baseline: every lead scored by the hand-written scorer, in as many parts as there are cores.</summary>
    /// <returns>The scores.</returns>
    [Benchmark(Baseline = true)]
    public int[] HandWrittenReplay()
    {
        var leads = _leads;
        var scores = new int[leads.Length];
        int parts = Environment.ProcessorCount;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            int end = (int)((long)leads.Length * (part + 1) / parts);
            for (int i = (int)((long)leads.Length * part / parts); i < end; i++)
            {
                scores[i] = _handWritten.Score(leads[i]);
            }
        });
        return scores;
    }
}
