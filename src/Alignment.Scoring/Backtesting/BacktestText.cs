using System.Globalization;
using System.Text;

namespace Alignment.Scoring.Backtesting;

/// <summary>Writes backtest reports as plain-text tables (invariant culture, <c>\n</c> line ends).</summary>
internal static class BacktestText
{
    private static readonly string[] ComparisonHeader = ["Metric", "Baseline", "Candidate"];
    private static readonly string[] CalibrationHeader = ["Calibration bin", "Decided", "Scores", "Mean score", "Won", "Win rate"];

    public static string Write(BacktestReport r)
    {
        var sb = new StringBuilder();
        Summary(sb, r);
        Tables(sb, r);
        return sb.ToString();
    }

    public static string Write(BacktestComparison c)
    {
        var sb = new StringBuilder();
        BacktestReport a = c.Baseline, b = c.Candidate;
        sb.Append(CultureInfo.InvariantCulture, $"Backtest comparison on {a.Leads} leads (won {a.Won}, lost {a.Lost}, disqualified {a.Disqualified}, open {a.Open}; decided {a.Decided})\n");
        var rows = new List<string[]>
        {
            ComparisonHeader,
            new[] { "Model", a.Model.ToString(), b.Model.ToString() },
            new[] { "ROC AUC", Auc(a.RocAuc), Auc(b.RocAuc) },
            new[] { "Top-decile lift", Ratio(a.TopDecileLift), Ratio(b.TopDecileLift) },
            new[] { "Top-decile win rate", Percent(a.TopDecileWinRate), Percent(b.TopDecileWinRate) },
            new[] { "MQL threshold", ThresholdName(a.Mql), ThresholdName(b.Mql) },
            new[] { "MQLs", Int(a.Mql.Mqls), Int(b.Mql.Mqls) },
            new[] { "MQLs a month (avg / peak)", PerMonth(a.Mql), PerMonth(b.Mql) },
            new[] { "MQL precision", Percent(a.Mql.Precision), Percent(b.Mql.Precision) },
            new[] { "MQL recall", Percent(a.Mql.Recall), Percent(b.Mql.Recall) },
        };
        if (a.ForCapacity is not null && b.ForCapacity is not null)
        {
            rows.Add(["Threshold for " + a.ForCapacity.Goal, Recommended(a.ForCapacity), Recommended(b.ForCapacity)]);
        }

        if (a.ForPrecision is not null && b.ForPrecision is not null)
        {
            rows.Add(["Threshold for " + a.ForPrecision.Goal, Recommended(a.ForPrecision), Recommended(b.ForPrecision)]);
        }

        Table(sb, rows, rightAlignFrom: 1);
        sb.Append("\nBaseline: ");
        Summary(sb, a);
        Tables(sb, a);
        sb.Append("\nCandidate: ");
        Summary(sb, b);
        Tables(sb, b);
        return sb.ToString();
    }

    private static void Summary(StringBuilder sb, BacktestReport r)
    {
        sb.Append(CultureInfo.InvariantCulture, $"Backtest of {r.Model} on {r.Leads} leads (won {r.Won}, lost {r.Lost}, disqualified {r.Disqualified}, open {r.Open}; decided {r.Decided}) over {r.Months} month(s)\n");
        sb.Append(CultureInfo.InvariantCulture, $"Conversion (won / decided): {Percent(r.ConversionRate)}\n");
        sb.Append(CultureInfo.InvariantCulture, $"ROC AUC: {Auc(r.RocAuc)}; top-decile lift: {Ratio(r.TopDecileLift)} (win rate {Percent(r.TopDecileWinRate)})\n");
        sb.Append(CultureInfo.InvariantCulture, $"MQL threshold ({ThresholdName(r.Mql)}): {Describe(r.Mql)}\n");
        foreach (var rec in new[] { r.ForCapacity, r.ForPrecision })
        {
            if (rec is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"Recommended for {rec.Goal}: ");
                sb.Append(rec.Threshold is null ? "none" : $"{ThresholdName(rec.Threshold)}: {Describe(rec.Threshold)}");
                sb.Append(CultureInfo.InvariantCulture, $" ({rec.Reason})\n");
            }
        }
    }

    private static void Tables(StringBuilder sb, BacktestReport r)
    {
        if (r.Distribution is { } d)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"Scores: min {P(d.Min)}, p10 {P(d.P10)}, p25 {P(d.P25)}, median {P(d.Median)}, p75 {P(d.P75)}, p90 {P(d.P90)}, max {P(d.Max)}, mean {P(d.Mean)}\n");
        }

        sb.Append('\n');
        Buckets(sb, "Score band", r.ScoreBands);
        sb.Append('\n');
        Buckets(sb, "Grade", r.GradeBuckets);
        sb.Append('\n');
        var rows = new List<string[]> { CalibrationHeader };
        foreach (var bin in r.Calibration)
        {
            rows.Add([Int(bin.Bin), Int(bin.Leads), $"{P(bin.MinScore)}..{P(bin.MaxScore)}", P(bin.MeanScore), Int(bin.Won), Percent(bin.WinRate)]);
        }

        Table(sb, rows, rightAlignFrom: 1);
    }

    private static void Buckets(StringBuilder sb, string title, IEnumerable<OutcomeBucket> buckets)
    {
        var rows = new List<string[]> { new[] { title, "Leads", "Won", "Lost", "Disq.", "Open", "Decided", "Conversion" } };
        foreach (var b in buckets)
        {
            rows.Add([b.Label, Int(b.Leads), Int(b.Won), Int(b.Lost), Int(b.Disqualified), Int(b.Open), Int(b.Decided), Percent(b.ConversionRate)]);
        }

        Table(sb, rows, rightAlignFrom: 1);
    }

    private static void Table(StringBuilder sb, List<string[]> rows, int rightAlignFrom)
    {
        int columns = rows[0].Length;
        var widths = new int[columns];
        foreach (var row in rows)
        {
            for (int c = 0; c < columns; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }

        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (int c = 0; c < columns; c++)
            {
                if (c > 0)
                {
                    line.Append("  ");
                }

                line.Append(c >= rightAlignFrom ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c]));
            }

            sb.Append(line.ToString().TrimEnd()).Append('\n');
        }
    }

    private static string Describe(ThresholdResult t) => string.Create(CultureInfo.InvariantCulture,
        $"{t.Mqls} MQLs ({t.MqlsPerMonth:0.#} a month on average, {t.PeakMonthMqls} in the busiest month), precision {Percent(t.Precision)}, recall {Percent(t.Recall)}");

    private static string ThresholdName(ThresholdResult t) => $"score {P(t.Score)}, grade {t.MinGrade.ToLetter()}";

    private static string Recommended(ThresholdRecommendation r) => r.Threshold is null ? "none" : "score " + P(r.Threshold.Score);

    private static string PerMonth(ThresholdResult t) => string.Create(CultureInfo.InvariantCulture, $"{t.MqlsPerMonth:0.#} / {t.PeakMonthMqls}");

    private static string P(decimal points) => Backtester.Format(points);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Percent(double? rate) => rate is double r ? (r * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %" : "-";

    private static string Ratio(double? value) => value is double v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "-";

    private static string Auc(double? value) => value is double v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "-";
}
