using Alignment.Activities;
using Alignment.Scoring.Backtesting;

namespace Alignment.Scoring.Tests.Backtesting;

public sealed class BacktesterTests
{
    // Every lead gets grade C (the MQL grade) from "us"; its score is 10 points per page view before its scoring instant.
    // MQL: score 50 and grade C; hot: 100 and grade B (TestData).
    internal static readonly ScoringModel Model = TestData.Compile("""
        "fit": [ {"id": "us", "points": 0, "grade": "+1", "when": {"field": "company.country", "equals": "United States"}} ],
        "engagement": [ {"id": "views", "activity": "pageView", "points": 10} ]
        """);

    private static readonly DateTimeOffset Jan = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Feb = new(2026, 2, 15, 9, 0, 0, TimeSpan.Zero);

    // id, score, outcome, month. Decided: 4 won (L1 L2 L4 L6), 6 negatives (L3 L5 L7 L8 L9, disqualified L10); O1 and O2 open.
    private static readonly (string Id, int Score, BacktestOutcome Outcome, DateTimeOffset At)[] Rows =
    [
        ("L1", 90, BacktestOutcome.Won, Jan), ("L2", 80, BacktestOutcome.Won, Feb), ("L3", 70, BacktestOutcome.Lost, Jan),
        ("L4", 60, BacktestOutcome.Won, Feb), ("L5", 50, BacktestOutcome.Lost, Jan), ("L6", 50, BacktestOutcome.Won, Feb),
        ("L7", 40, BacktestOutcome.Lost, Feb), ("L8", 30, BacktestOutcome.Lost, Jan), ("L9", 20, BacktestOutcome.Lost, Feb),
        ("L10", 10, BacktestOutcome.Disqualified, Jan), ("O1", 60, BacktestOutcome.Open, Jan), ("O2", 0, BacktestOutcome.Open, Feb),
    ];

    internal static BacktestHistory History(int? closeAfterDaysForL2 = null)
    {
        var builder = new BacktestHistoryBuilder();
        foreach (var (id, score, outcome, at) in Rows)
        {
            var activities = new List<LeadActivity>();
            for (int v = 0; v < score / 10; v++)
            {
                activities.Add(new LeadActivity(ActivityType.PageView, at - TimeSpan.FromDays(1)));
            }

            if (id == "L1")
            {
                // Look-ahead bait: three views after the scoring instant must never count.
                activities.Add(new LeadActivity(ActivityType.PageView, at + TimeSpan.FromSeconds(1)));
                activities.Add(new LeadActivity(ActivityType.PageView, at + TimeSpan.FromDays(3)));
                activities.Add(new LeadActivity(ActivityType.PageView, at + TimeSpan.FromDays(30)));
            }

            DateTimeOffset? closed = outcome == BacktestOutcome.Open ? null : at + TimeSpan.FromDays(id == "L2" && closeAfterDaysForL2 is int d ? d : 10);
            builder.Add(TestData.Lead(id), at, outcome, closed, activities.ToArray());
        }

        return builder.Build();
    }

    [Fact]
    public void Replay_ActivitiesAfterTheScoringInstant_NeverCount()
    {
        var scores = Backtester.Replay(Model, History());

        Assert.Equal(90m, scores[0].Total);
        Assert.Equal([90m, 80m, 70m, 60m, 50m, 50m, 40m, 30m, 20m, 10m, 60m, 0m], scores.Select(s => s.Total).ToArray());
    }

    [Fact]
    public void Replay_EachLeadUsesItsOwnScoringInstant()
    {
        var view = new LeadActivity(ActivityType.PageView, Feb);
        var history = new BacktestHistoryBuilder()
            .Add(TestData.Lead("early"), Feb - TimeSpan.FromTicks(1), BacktestOutcome.Open, null, [view])
            .Add(TestData.Lead("on-time"), Feb, BacktestOutcome.Open, null, [view])
            .Build();

        var scores = Backtester.Replay(Model, history);

        Assert.Equal(0m, scores[0].Total);
        Assert.Equal(10m, scores[1].Total);
    }

    [Fact]
    public void Run_HandComputedHistory_Counts()
    {
        var report = Backtester.Run(Model, History());

        Assert.Equal((12, 4, 5, 1, 2, 10, 2), (report.Leads, report.Won, report.Lost, report.Disqualified, report.Open, report.Decided, report.Months));
        Assert.Equal(0.4, report.ConversionRate!.Value, 12);
    }

    [Fact]
    public void Run_HandComputedHistory_RocAucWithTieCountingHalf()
    {
        // Per won lead, decided negatives scored lower: 90 → 6, 80 → 6, 60 → 5, 50 → 4 + ½ (tie with lost L5). 21.5 of 24 pairs.
        var report = Backtester.Run(Model, History());

        Assert.Equal(21.5 / 24, report.RocAuc!.Value, 12);
    }

    [Fact]
    public void Run_HandComputedHistory_BandConversion()
    {
        var report = Backtester.Run(Model, History());

        Assert.Equal(10, report.ScoreBands.Length);
        Assert.Equal(new OutcomeBucket("[0, 10)", 0m, 10m, 1, 0, 0, 0, 1, 0, null), report.ScoreBands[0]);
        Assert.Equal(new OutcomeBucket("[10, 20)", 10m, 20m, 1, 0, 0, 1, 0, 1, 0.0), report.ScoreBands[1]);
        Assert.Equal(new OutcomeBucket("[50, 60)", 50m, 60m, 2, 1, 1, 0, 0, 2, 0.5), report.ScoreBands[5]);
        Assert.Equal(new OutcomeBucket("[60, 70)", 60m, 70m, 2, 1, 0, 0, 1, 1, 1.0), report.ScoreBands[6]);
        Assert.Equal(new OutcomeBucket("[90, 100)", 90m, 100m, 1, 1, 0, 0, 0, 1, 1.0), report.ScoreBands[9]);
        var grade = Assert.Single(report.GradeBuckets);
        Assert.Equal(new OutcomeBucket("C", null, null, 12, 4, 5, 1, 2, 10, 0.4), grade);
    }

    [Fact]
    public void Run_HandComputedHistory_MqlPrecisionRecallAndLift()
    {
        var report = Backtester.Run(Model, History());

        // MQL = score ≥ 50: L1..L6 and O1 (7); 6 decided, 4 won; Jan has L1 L3 L5 O1, Feb has L2 L4 L6.
        Assert.Equal(new ThresholdResult(50m, Grade.C, 7, 6, 4, 4 / 6.0, 1.0, 3.5, 4), report.Mql);
        // Top 10 % of 10 decided leads = L1 (won): win rate 1, lift 1 / 0.4.
        Assert.Equal(1.0, report.TopDecileWinRate!.Value, 12);
        Assert.Equal(2.5, report.TopDecileLift!.Value, 12);
        Assert.Equal(new ScoreDistribution(0m, 10m, 20m, 50m, 60m, 80m, 90m, 46.67m), report.Distribution);
    }

    [Fact]
    public void Run_HandComputedHistory_CalibrationKeepsTiesTogether()
    {
        var report = Backtester.Run(Model, History());

        Assert.Equal(9, report.Calibration.Length);
        Assert.Equal(new CalibrationBin(1, 1, 10m, 10m, 10m, 0, 0.0), report.Calibration[0]);
        Assert.Equal(new CalibrationBin(5, 2, 50m, 50m, 50m, 1, 0.5), report.Calibration[4]);
        Assert.Equal(new CalibrationBin(9, 1, 90m, 90m, 90m, 1, 1.0), report.Calibration[8]);
    }

    [Fact]
    public void Run_CapacityTwoAMonth_RecommendsLowestScoreWithinCapacity()
    {
        // Descending: 90 (Jan 1), 80 (Feb 1), 70 (Jan 2), then 60 adds L4 (Feb 2) and O1 (Jan 3) → over capacity; keep 70.
        var report = Backtester.Run(Model, History(), new BacktestOptions { CapacityPerMonth = 2 });

        var rec = report.ForCapacity!;
        Assert.Equal("at most 2 MQLs a month", rec.Goal);
        Assert.Equal(new ThresholdResult(70m, Grade.C, 3, 3, 2, 2 / 3.0, 0.5, 1.5, 2), rec.Threshold);
        Assert.Equal("the next lower score (60) would give 3 MQLs in the busiest month", rec.Reason);
    }

    [Fact]
    public void Run_CapacityBelowTheTopGroup_RecommendsNone()
    {
        var builder = new BacktestHistoryBuilder();
        builder.Add(TestData.Lead("a"), Jan, BacktestOutcome.Won, null, []).Add(TestData.Lead("b"), Jan, BacktestOutcome.Lost, null, []);

        var rec = Backtester.Run(Model, builder.Build(), new BacktestOptions { CapacityPerMonth = 1 }).ForCapacity!;

        Assert.Null(rec.Threshold);
        Assert.Equal("even the highest score (0) gives 2 MQLs in the busiest month", rec.Reason);
    }

    [Fact]
    public void Run_TargetPrecision_RecommendsLowestScoreReachingIt()
    {
        // Cumulative precision from the top: 90 1/1, 80 2/2, 70 2/3, 60 3/4 (O1 open), 50 4/6 … → lowest reaching 75 % is 60.
        var report = Backtester.Run(Model, History(), new BacktestOptions { TargetPrecision = 0.75 });

        var rec = report.ForPrecision!;
        Assert.Equal("precision of at least 75 %", rec.Goal);
        Assert.Equal(new ThresholdResult(60m, Grade.C, 5, 4, 3, 0.75, 0.75, 2.5, 3), rec.Threshold);
    }

    [Fact]
    public void Run_UnreachablePrecision_RecommendsNoneAndNamesTheBest()
    {
        var history = new BacktestHistoryBuilder()
            .Add(TestData.Lead("a"), Jan, BacktestOutcome.Lost, null, [new LeadActivity(ActivityType.PageView, Jan)])
            .Add(TestData.Lead("b"), Jan, BacktestOutcome.Won, null, [])
            .Build();

        var rec = Backtester.Run(Model, history, new BacktestOptions { TargetPrecision = 0.9 }).ForPrecision!;

        Assert.Null(rec.Threshold);
        Assert.Equal("no threshold reaches it; the best is 50 % at score 0", rec.Reason);
    }

    [Fact]
    public void Run_OutcomeHorizon_LateCloseCountsAsOpen()
    {
        var report = Backtester.Run(Model, History(closeAfterDaysForL2: 40), new BacktestOptions { OutcomeHorizonDays = 30 });

        Assert.Equal((3, 3, 9), (report.Won, report.Open, report.Decided));
    }

    [Fact]
    public void Run_DisqualifiedNotDecided_LeftOut()
    {
        var report = Backtester.Run(Model, History(), new BacktestOptions { CountDisqualifiedAsDecided = false });

        Assert.Equal(9, report.Decided);
        Assert.Equal(4 / 9.0, report.ConversionRate!.Value, 12);
        // Negatives are now L3 L5 L7 L8 L9: won leads outscore 5 + 5 + 4 + 3.5 of 20 pairs.
        Assert.Equal(17.5 / 20, report.RocAuc!.Value, 12);
    }

    [Fact]
    public void Run_InvalidOptions_ListsEveryProblem()
    {
        var ex = Assert.Throws<ArgumentException>(() => Backtester.Run(Model, History(), new BacktestOptions { BandWidth = 0, CapacityPerMonth = 0, TargetPrecision = 2 }));

        Assert.StartsWith("Invalid backtest options: BandWidth must be positive with at most two decimals (found 0). CapacityPerMonth must be positive (found 0). TargetPrecision must be above 0 and at most 1 (found 2).", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_SameHistory_ReportsBothModels()
    {
        var flat = TestData.Compile("""
            "fit": [ {"id": "us", "points": 60, "grade": "+1", "when": {"field": "company.country", "equals": "United States"}} ]
            """);

        var comparison = Backtester.Compare(Model, flat, History());

        Assert.Equal(21.5 / 24, comparison.Baseline.RocAuc!.Value, 12);
        Assert.Equal(0.5, comparison.Candidate.RocAuc!.Value, 12);
        Assert.Equal(12, comparison.Candidate.Mql.Mqls);
        string text = comparison.ToText();
        Assert.Matches(@"(?m)^ROC AUC +0\.8958 +0\.5000$", text);
        Assert.Matches(@"(?m)^MQL precision +66\.67 % +40\.00 %$", text);
        using var doc = System.Text.Json.JsonDocument.Parse(comparison.ToJson());
        Assert.Equal(0.5, doc.RootElement.GetProperty("candidate").GetProperty("rocAuc").GetDouble(), 12);
    }

    [Fact]
    public void ToJson_WritesTypedMetrics()
    {
        var report = Backtester.Run(Model, History(), new BacktestOptions { CapacityPerMonth = 2 });

        using var doc = System.Text.Json.JsonDocument.Parse(report.ToJson(indented: false));
        var root = doc.RootElement;
        Assert.Equal(12, root.GetProperty("leads").GetInt32());
        Assert.Equal("C", root.GetProperty("mql").GetProperty("minGrade").GetString());
        Assert.Equal(70m, root.GetProperty("forCapacity").GetProperty("threshold").GetProperty("score").GetDecimal());
        Assert.Equal("[50, 60)", root.GetProperty("scoreBands")[5].GetProperty("label").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, root.GetProperty("forPrecision").ValueKind);
    }

    [Fact]
    public void ToText_HandComputedHistory_SummaryLines()
    {
        var text = Backtester.Run(Model, History(), new BacktestOptions { CapacityPerMonth = 2 }).ToText();

        Assert.Contains("Conversion (won / decided): 40.00 %\n", text, StringComparison.Ordinal);
        Assert.Contains("ROC AUC: 0.8958; top-decile lift: 2.50 (win rate 100.00 %)\n", text, StringComparison.Ordinal);
        Assert.Contains("MQL threshold (score 50, grade C): 7 MQLs (3.5 a month on average, 4 in the busiest month), precision 66.67 %, recall 100.00 %\n", text, StringComparison.Ordinal);
        Assert.Contains("Recommended for at most 2 MQLs a month: score 70, grade C: 3 MQLs", text, StringComparison.Ordinal);
        Assert.Contains("\nScore band  Leads  Won  Lost  Disq.  Open  Decided  Conversion\n[0, 10)         1    0     0      0     1        0           -\n", text, StringComparison.Ordinal);
        Assert.Contains("\n[50, 60)        2    1     1      0     0        2     50.00 %\n", text, StringComparison.Ordinal);
    }
}
