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
    private BacktestOutcome[] _outcomes = null!;
    private DateTimeOffset[] _scoredAt = null!;

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
        _outcomes = new BacktestOutcome[N];
        _scoredAt = new DateTimeOffset[N];
        for (int i = 0; i < N; i++)
        {
            _outcomes[i] = _history[i].Outcome;
            _scoredAt[i] = _history[i].ScoredAt;
        }
    }

    /// <summary>The full backtest report.</summary>
    /// <returns>The report.</returns>
    [Benchmark]
    public BacktestReport Run() => Backtester.Run(_model, _history, _options);

    /// <summary>Scoring every lead as of its own instant, without the measures.</summary>
    /// <returns>The scores.</returns>
    [Benchmark]
    public LeadScore[] Replay() => Backtester.Replay(_model, _history);

    /// <summary>
    /// The baseline of <see cref="Run"/>: the same work written plainly, with the same shape of memory traffic. The leads are scored by
    /// the hand-written scorer (<see cref="HandWrittenReplay"/>), then one thread builds the per-lead arrays (score, label, month),
    /// sorts a copy of the scores (the distribution), sorts the decided leads' scores with their outcomes and sums the ranks (the
    /// AUC), counts 10-point bands, and twice sorts every lead by descending score with its index and walks the order counting
    /// leads per month (the capacity and precision thresholds). It allocates fresh arrays of about 73 MB per call, as Run does
    /// (89 MB), so a machine whose large allocations or sorts are slow today slows both sides of <c>Run / HandWrittenRun</c>;
    /// only the engine's own code moves the ratio.
    /// </summary>
    /// <returns>A checksum of the measures, so that nothing is optimised away.</returns>
    [Benchmark]
    public double HandWrittenRun()
    {
        HandWrittenScore[] points = HandWrittenReplay();
        int n = points.Length;
        var scores = new long[n];
        var labels = new sbyte[n];
        var months = new int[n];
        int decided = 0, minMonth = int.MaxValue;
        for (int i = 0; i < n; i++)
        {
            scores[i] = points[i].TotalHundredths;
            labels[i] = _outcomes[i] switch { BacktestOutcome.Won => 1, BacktestOutcome.Lost => 0, _ => -1 };
            decided += labels[i] >= 0 ? 1 : 0;
            var utc = _scoredAt[i].UtcDateTime;
            months[i] = (utc.Year * 12) + utc.Month - 1;
            minMonth = Math.Min(minMonth, months[i]);
        }

        var sorted = (long[])scores.Clone();
        Array.Sort(sorted);
        double checksum = sorted[n / 2];

        var keys = new long[decided];
        var won = new byte[decided];
        for (int i = 0, k = 0; i < n; i++)
        {
            if (labels[i] >= 0)
            {
                keys[k] = scores[i];
                won[k++] = (byte)labels[i];
            }
        }

        Array.Sort(keys, won);
        double rankSum = 0, positives = 0;
        for (int i = 0; i < decided; i++)
        {
            positives += won[i];
            rankSum += won[i] * (i + 1.0);
        }

        checksum += positives == 0 || positives == decided ? 0 : (rankSum - (positives * (positives + 1) / 2)) / (positives * (decided - positives));

        var bands = new int[1 + (int)((sorted[^1] - sorted[0]) / 1000)];
        for (int i = 0; i < n; i++)
        {
            bands[(int)((scores[i] - sorted[0]) / 1000)]++;
        }

        checksum += bands[0];
        for (int pass = 0; pass < 2; pass++)
        {
            var order = new int[n];
            var descending = new long[n];
            for (int i = 0; i < n; i++)
            {
                order[i] = i;
                descending[i] = -scores[i];
            }

            Array.Sort(descending, order);
            var perMonth = new int[months.Max() - minMonth + 1];
            int peak = 0;
            for (int i = 0; i < n; i++)
            {
                peak = Math.Max(peak, ++perMonth[months[order[i]] - minMonth]);
            }

            checksum += peak;
        }

        return checksum;
    }

    /// <summary>
    /// The baseline: every lead scored by the hand-written scorer, in as many parts as there are cores, into an array of the same
    /// size as <see cref="Replay"/>'s (24 bytes a lead, as <see cref="LeadScore"/>). Until 8 December it wrote an <c>int</c> a lead:
    /// a sixth of the memory, so on a machine where fresh memory is slow (a VM whose page faults cost about 10 us each) the 20 MB
    /// more that Replay's result takes moved the ratio from 0.79-1.22 in most runs to 1.74-2.12 with the engine unchanged.
    /// </summary>
    /// <returns>The scores.</returns>
    [Benchmark(Baseline = true)]
    public HandWrittenScore[] HandWrittenReplay()
    {
        var leads = _leads;
        var scores = new HandWrittenScore[leads.Length];
        int parts = Environment.ProcessorCount;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
        {
            int end = (int)((long)leads.Length * (part + 1) / parts);
            for (int i = (int)((long)leads.Length * part / parts); i < end; i++)
            {
                scores[i] = new HandWrittenScore(_handWritten.Score(leads[i]) * 100L);
            }
        });
        return scores;
    }
}

/// <summary>
/// What <see cref="BacktestBenchmark.HandWrittenReplay"/> writes per lead: the same 24 bytes as the engine's <see cref="LeadScore"/>
/// (total in hundredths, fit in hundredths, grade, state), so that both sides of the replay's guard fill an array of one size.
/// </summary>
/// <param name="TotalHundredths">The hand-written scorer's points, in hundredths.</param>
/// <param name="FitHundredths">Not split out by the hand-written scorer: 0.</param>
/// <param name="Grade">Not graded: 0.</param>
/// <param name="State">Not classified: 0.</param>
public readonly record struct HandWrittenScore(long TotalHundredths, long FitHundredths = 0, int Grade = 0, int State = 0);
