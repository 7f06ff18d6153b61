using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.ExceptionServices;
using Alignment.Scoring.Compilation;
using Alignment.Scoring.Governance;

namespace Alignment.Scoring.Backtesting;

/// <summary>
/// Replays a history of leads through scoring models, each lead as of its own scoring instant (no look-ahead: activities after that
/// instant never count), and measures the scores against what actually happened.
/// </summary>
/// <remarks>
/// Stateless and thread-safe. Leads are scored in parallel over contiguous partitions into one array, then measured on one thread with
/// one sort per measure, so the result is identical on every run and machine. A million leads take a few seconds.
/// </remarks>
public static class Backtester
{
    private const int PartitionSize = 16_384;
    private const int MaxBands = 10_000;

    /// <summary>Scores every lead of a history as of its own scoring instant.</summary>
    /// <param name="model">The model.</param>
    /// <param name="history">The history.</param>
    /// <param name="cancellationToken">Checked between leads.</param>
    /// <returns>One score per lead, in history order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A lead's attributes use another schema than the model's, or an activity has an undefined type.</exception>
    /// <exception cref="ScoringRuleException">A plugin rule failed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static LeadScore[] Replay(ScoringModel model, BacktestHistory history, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(history);
        int n = history.Count;
        var results = new LeadScore[n];
        int parts = Math.Max(1, Math.Min(Environment.ProcessorCount, (n + PartitionSize - 1) / PartitionSize));
        if (parts == 1)
        {
            ReplayRange(model, history, 0, n, results, cancellationToken);
            return results;
        }

        try
        {
            Parallel.For(0, parts, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = parts }, part =>
                ReplayRange(model, history, (int)((long)n * part / parts), (int)((long)n * (part + 1) / parts), results, cancellationToken));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count >= 1)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }

        return results;
    }

    /// <summary>Replays a history through a model and measures the scores against the outcomes.</summary>
    /// <param name="model">The model.</param>
    /// <param name="history">The history.</param>
    /// <param name="options">Bands and recommendation goals; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Checked between leads.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="history"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed), the bands would be too many, or a lead does not fit the model.</exception>
    /// <exception cref="ScoringRuleException">A plugin rule failed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static BacktestReport Run(ScoringModel model, BacktestHistory history, BacktestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(history);
        options = Check(options);
        var scores = Replay(model, history, cancellationToken);
        return Measure(model, history, scores, options);
    }

    /// <summary>Replays a history through two models and puts their reports side by side.</summary>
    /// <param name="baseline">The current model.</param>
    /// <param name="candidate">The proposed model (compiled against the same attribute schema).</param>
    /// <param name="history">The history.</param>
    /// <param name="options">Bands and recommendation goals, the same for both; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Checked between leads.</param>
    /// <returns>Both reports.</returns>
    /// <exception cref="ArgumentNullException">A model or <paramref name="history"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid, or a lead does not fit a model.</exception>
    /// <exception cref="ScoringRuleException">A plugin rule failed.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static BacktestComparison Compare(ScoringModel baseline, ScoringModel candidate, BacktestHistory history, BacktestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(history);
        options = Check(options);
        var a = Measure(baseline, history, Replay(baseline, history, cancellationToken), options);
        var b = Measure(candidate, history, Replay(candidate, history, cancellationToken), options);
        return new BacktestComparison(a, b);
    }

    private static BacktestOptions Check(BacktestOptions? options)
    {
        options ??= new BacktestOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid backtest options: " + string.Join(" ", errors), nameof(options));
        }

        return options;
    }

    private static void ReplayRange(ScoringModel model, BacktestHistory history, int from, int to, LeadScore[] results, CancellationToken cancellationToken)
    {
        var leads = history.Leads;
        var at = history.ScoredAt;
        for (int i = from; i < to; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            results[i] = model.Evaluate(leads[i], history.GetActivities(i), at[i]);
        }
    }

    private static BacktestReport Measure(ScoringModel model, BacktestHistory history, LeadScore[] results, BacktestOptions options) =>
        Measure(model, history.ScoredAt, history.Outcomes, history.ClosedAt, results, options);

    /// <summary>
    /// Measures scores already computed (for example a champion's and a challenger's live scores) against the outcomes of their
    /// leads: the report <see cref="Run"/> makes after replaying. The arrays are parallel, one entry per lead.
    /// </summary>
    internal static BacktestReport Measure(ScoringModel model, DateTimeOffset[] scoredAt, BacktestOutcome[] outcomesIn, DateTimeOffset?[] closedAt, LeadScore[] results, BacktestOptions? options)
    {
        options = Check(options);
        int n = results.Length;
        var scores = new long[n];
        var grades = new Grade[n];
        var outcomes = new BacktestOutcome[n];
        var labels = new sbyte[n]; // 1 won, 0 decided negative, -1 not decided
        var months = new int[n];
        int minMonth = int.MaxValue, maxMonth = int.MinValue;
        int won = 0, lost = 0, disqualified = 0, open = 0, decided = 0;
        long horizonTicks = options.OutcomeHorizonDays is int h ? h * TimeSpan.TicksPerDay : long.MaxValue;
        for (int i = 0; i < n; i++)
        {
            scores[i] = results[i].TotalHundredths;
            grades[i] = results[i].Grade;
            var outcome = outcomesIn[i];
            if (outcome != BacktestOutcome.Open && options.OutcomeHorizonDays is not null &&
                (closedAt[i] is not DateTimeOffset closed || closed.UtcTicks - scoredAt[i].UtcTicks > horizonTicks))
            {
                outcome = BacktestOutcome.Open;
            }

            outcomes[i] = outcome;
            switch (outcome)
            {
                case BacktestOutcome.Won: won++; labels[i] = 1; break;
                case BacktestOutcome.Lost: lost++; labels[i] = 0; break;
                case BacktestOutcome.Disqualified: disqualified++; labels[i] = (sbyte)(options.CountDisqualifiedAsDecided ? 0 : -1); break;
                default: open++; labels[i] = -1; break;
            }

            decided += labels[i] >= 0 ? 1 : 0;
            var utc = scoredAt[i].UtcDateTime;
            int month = (utc.Year * 12) + utc.Month - 1;
            months[i] = month;
            minMonth = Math.Min(minMonth, month);
            maxMonth = Math.Max(maxMonth, month);
        }

        int monthCount = n == 0 ? 0 : maxMonth - minMonth + 1;
        for (int i = 0; i < n; i++)
        {
            months[i] -= minMonth;
        }

        var data = new Data(scores, grades, labels, months, monthCount, won);
        var mqlGrade = model.Definition.Mql.MinGrade;
        var (auc, calibration, topRate) = RankMeasures(scores, labels, decided);
        double? rate = decided == 0 ? null : (double)won / decided;
        return new BacktestReport
        {
            Model = new ModelVersionInfo(model.Id, model.Version, model.ContentHash, model.Definition.ChangeNote),
            Leads = n,
            Won = won,
            Lost = lost,
            Disqualified = disqualified,
            Open = open,
            Decided = decided,
            Months = monthCount,
            ConversionRate = rate,
            Distribution = Distribution(scores),
            ScoreBands = Bands(scores, outcomes, labels, options.BandWidth),
            GradeBuckets = GradeBuckets(grades, outcomes, labels),
            RocAuc = auc,
            Calibration = calibration,
            TopDecileWinRate = topRate,
            TopDecileLift = topRate is double t && won > 0 ? t / rate!.Value : null,
            Mql = Threshold(data, DeterministicMath.ToHundredths(model.Definition.Mql.Score), mqlGrade),
            ForCapacity = options.CapacityPerMonth is int cap ? ForCapacity(data, mqlGrade, cap) : null,
            ForPrecision = options.TargetPrecision is double p ? ForPrecision(data, mqlGrade, p) : null,
        };
    }

    private static ScoreDistribution? Distribution(long[] scores)
    {
        int n = scores.Length;
        if (n == 0)
        {
            return null;
        }

        var sorted = (long[])scores.Clone();
        Array.Sort(sorted);
        long sum = 0;
        foreach (long s in sorted)
        {
            sum += s;
        }

        decimal At(int percent) => Points(sorted[Math.Max(0, (int)((((long)percent * n) + 99) / 100) - 1)]);
        return new ScoreDistribution(Points(sorted[0]), At(10), At(25), At(50), At(75), At(90), Points(sorted[^1]), Math.Round((decimal)sum / n / 100m, 2, MidpointRounding.AwayFromZero));
    }

    private static ImmutableArray<OutcomeBucket> Bands(long[] scores, BacktestOutcome[] outcomes, sbyte[] labels, decimal bandWidth)
    {
        if (scores.Length == 0)
        {
            return [];
        }

        long width = DeterministicMath.ToHundredths(bandWidth);
        long min = long.MaxValue, max = long.MinValue;
        foreach (long s in scores)
        {
            min = Math.Min(min, s);
            max = Math.Max(max, s);
        }

        long first = FloorDiv(min, width), last = FloorDiv(max, width);
        if (last - first + 1 > MaxBands)
        {
            throw new ArgumentException($"A band width of {bandWidth} makes {last - first + 1} bands between scores {Points(min)} and {Points(max)}; at most {MaxBands} are allowed.", nameof(bandWidth));
        }

        var counts = new Counts[last - first + 1];
        for (int i = 0; i < scores.Length; i++)
        {
            counts[FloorDiv(scores[i], width) - first].Add(outcomes[i], labels[i]);
        }

        var bands = ImmutableArray.CreateBuilder<OutcomeBucket>(counts.Length);
        for (int b = 0; b < counts.Length; b++)
        {
            decimal from = Points((first + b) * width), to = Points((first + b + 1) * width);
            bands.Add(counts[b].ToBucket($"[{Format(from)}, {Format(to)})", from, to));
        }

        return bands.MoveToImmutable();
    }

    private static ImmutableArray<OutcomeBucket> GradeBuckets(Grade[] grades, BacktestOutcome[] outcomes, sbyte[] labels)
    {
        var counts = new Counts[(int)Grades.Max + 1];
        for (int i = 0; i < grades.Length; i++)
        {
            counts[(int)grades[i]].Add(outcomes[i], labels[i]);
        }

        var buckets = ImmutableArray.CreateBuilder<OutcomeBucket>();
        for (int g = counts.Length - 1; g >= 0; g--)
        {
            if (counts[g].Leads > 0)
            {
                buckets.Add(counts[g].ToBucket(((Grade)g).ToLetter(), null, null));
            }
        }

        return buckets.ToImmutable();
    }

    private static (double? Auc, ImmutableArray<CalibrationBin> Calibration, double? TopRate) RankMeasures(long[] scores, sbyte[] labels, int decided)
    {
        var keys = new long[decided];
        var won = new byte[decided];
        int k = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (labels[i] >= 0)
            {
                keys[k] = scores[i];
                won[k++] = (byte)labels[i];
            }
        }

        Array.Sort(keys, won);
        long positives = 0;
        double rankSum = 0;
        var bins = ImmutableArray.CreateBuilder<CalibrationBin>();
        int binStart = 0, binIndex = -1;
        for (int i = 0; i < decided;)
        {
            int j = i;
            int groupWon = 0;
            while (j < decided && keys[j] == keys[i])
            {
                groupWon += won[j++];
            }

            positives += groupWon;
            rankSum += groupWon * ((i + 1 + j) / 2.0);
            int bin = (int)((long)i * 10 / decided);
            if (bin != binIndex && i > 0)
            {
                bins.Add(Bin(bins.Count + 1, keys, won, binStart, i));
                binStart = i;
            }

            binIndex = bin;
            i = j;
        }

        if (decided > 0)
        {
            bins.Add(Bin(bins.Count + 1, keys, won, binStart, decided));
        }

        long negatives = decided - positives;
        double? auc = positives == 0 || negatives == 0 ? null : (rankSum - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives);

        double? topRate = null;
        if (decided > 0)
        {
            double take = decided / 10.0, taken = 0, wonTaken = 0;
            for (int j = decided; j > 0 && taken < take;)
            {
                int i = j;
                int groupWon = 0;
                while (i > 0 && keys[i - 1] == keys[j - 1])
                {
                    groupWon += won[--i];
                }

                int size = j - i;
                double part = Math.Min(1.0, (take - taken) / size);
                taken += size * part;
                wonTaken += groupWon * part;
                j = i;
            }

            topRate = wonTaken / take;
        }

        return (auc, bins.ToImmutable(), topRate);
    }

    private static CalibrationBin Bin(int number, long[] keys, byte[] won, int from, int to)
    {
        long sum = 0;
        int w = 0;
        for (int i = from; i < to; i++)
        {
            sum += keys[i];
            w += won[i];
        }

        int count = to - from;
        return new CalibrationBin(number, count, Points(keys[from]), Points(keys[to - 1]), Math.Round((decimal)sum / count / 100m, 2, MidpointRounding.AwayFromZero), w, (double)w / count);
    }

    private static ThresholdResult Threshold(Data d, long score, Grade minGrade)
    {
        int mqls = 0, decidedMqls = 0, wonMqls = 0;
        var perMonth = new int[d.MonthCount];
        for (int i = 0; i < d.Scores.Length; i++)
        {
            if (d.Scores[i] >= score && d.Grades[i] >= minGrade)
            {
                mqls++;
                perMonth[d.Months[i]]++;
                if (d.Labels[i] >= 0)
                {
                    decidedMqls++;
                    wonMqls += d.Labels[i];
                }
            }
        }

        return new ThresholdResult(
            Points(score), minGrade, mqls, decidedMqls, wonMqls,
            decidedMqls == 0 ? null : (double)wonMqls / decidedMqls,
            d.Won == 0 ? null : (double)wonMqls / d.Won,
            d.MonthCount == 0 ? 0 : (double)mqls / d.MonthCount,
            perMonth.Length == 0 ? 0 : perMonth.Max());
    }

    private static int[] Eligible(Data d, Grade minGrade, out long[] keys)
    {
        var index = new List<int>(d.Scores.Length);
        for (int i = 0; i < d.Scores.Length; i++)
        {
            if (d.Grades[i] >= minGrade)
            {
                index.Add(i);
            }
        }

        int[] items = [.. index];
        keys = new long[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            keys[i] = -d.Scores[items[i]]; // descending score
        }

        Array.Sort(keys, items);
        return items;
    }

    private static ThresholdRecommendation ForCapacity(Data d, Grade minGrade, int capacity)
    {
        string goal = string.Create(CultureInfo.InvariantCulture, $"at most {capacity} MQLs a month");
        var items = Eligible(d, minGrade, out var keys);
        var perMonth = new int[d.MonthCount];
        int peak = 0;
        long? best = null;
        for (int i = 0; i < items.Length;)
        {
            int j = i;
            while (j < items.Length && keys[j] == keys[i])
            {
                peak = Math.Max(peak, ++perMonth[d.Months[items[j++]]]);
            }

            if (peak > capacity)
            {
                string next = Format(Points(-keys[i]));
                return best is long b
                    ? new(goal, Threshold(d, b, minGrade), $"the next lower score ({next}) would give {peak} MQLs in the busiest month")
                    : new(goal, null, $"even the highest score ({next}) gives {peak} MQLs in the busiest month");
            }

            best = -keys[i];
            i = j;
        }

        return best is long all
            ? new(goal, Threshold(d, all, minGrade), "every lead at or above the minimum grade fits within the capacity")
            : new(goal, null, "no lead reaches the minimum grade");
    }

    private static ThresholdRecommendation ForPrecision(Data d, Grade minGrade, double target)
    {
        string goal = string.Create(CultureInfo.InvariantCulture, $"precision of at least {target * 100:0.##} %");
        var items = Eligible(d, minGrade, out var keys);
        long cumWon = 0, cumDecided = 0;
        long? best = null;
        double bestPrecision = -1;
        long bestPrecisionScore = 0;
        for (int i = 0; i < items.Length;)
        {
            int j = i;
            while (j < items.Length && keys[j] == keys[i])
            {
                sbyte label = d.Labels[items[j++]];
                if (label >= 0)
                {
                    cumDecided++;
                    cumWon += label;
                }
            }

            if (cumDecided > 0)
            {
                double precision = (double)cumWon / cumDecided;
                if (cumWon >= target * cumDecided * (1 - 1e-12))
                {
                    best = -keys[i];
                }

                if (precision > bestPrecision)
                {
                    bestPrecision = precision;
                    bestPrecisionScore = -keys[i];
                }
            }

            i = j;
        }

        if (best is long b)
        {
            return new(goal, Threshold(d, b, minGrade), "the lowest score whose MQLs reach the target, so recall is as high as it can be");
        }

        return new(goal, null, bestPrecision < 0
            ? "no decided lead reaches the minimum grade"
            : string.Create(CultureInfo.InvariantCulture, $"no threshold reaches it; the best is {bestPrecision * 100:0.##} % at score {Format(Points(bestPrecisionScore))}"));
    }

    private static long FloorDiv(long a, long b) => (a / b) - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);

    private static decimal Points(long hundredths) => hundredths / 100m;

    internal static string Format(decimal points) => points.ToString("0.##", CultureInfo.InvariantCulture);

    private struct Counts
    {
        public int Leads, Won, Lost, Disqualified, Open, Decided;

        public void Add(BacktestOutcome outcome, sbyte label)
        {
            Leads++;
            switch (outcome)
            {
                case BacktestOutcome.Won: Won++; break;
                case BacktestOutcome.Lost: Lost++; break;
                case BacktestOutcome.Disqualified: Disqualified++; break;
                default: Open++; break;
            }

            Decided += label >= 0 ? 1 : 0;
        }

        public readonly OutcomeBucket ToBucket(string label, decimal? from, decimal? to) =>
            new(label, from, to, Leads, Won, Lost, Disqualified, Open, Decided, Decided == 0 ? null : (double)Won / Decided);
    }

    private sealed record Data(long[] Scores, Grade[] Grades, sbyte[] Labels, int[] Months, int MonthCount, int Won);
}
