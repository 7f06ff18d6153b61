using System.Collections.Immutable;
using Alignment.Scoring.Predictive;
using Microsoft.Extensions.Options;

namespace Alignment.Scoring.Tests.Predictive;

public sealed class PredictiveScorerTests
{
    private static readonly PipelineStage[] FourStages =
    [
        new("New", 1, false), new("Qualified", 2, false), new("Proposition", 3, false), new("Won", 4, true),
    ];

    private static readonly PipelineStage[] TwoStages = [new("New", 1, false), new("Won", 2, true)];

    internal static PredictiveRecord Lead(string id, string? team, string? stage, LeadOutcome outcome, string?[] values, params string[] tags)
        => new(id, team, stage, outcome, [.. values], [.. tags]);

    private static PredictiveScorer Scorer(PipelineStage[] stages, string[] fields, string[]? missingAsValue = null)
        => new(stages, new PredictiveScoringOptions { Fields = fields, MissingAsValueFields = missingAsValue ?? [] });

    private static PredictiveScore.Scored AssertScored(PredictiveScore score) => Assert.IsType<PredictiveScore.Scored>(score);

    // Team A: one won lead from BE, one lead from BE lost in Qualified, one lead from FR lost in New.
    //   stage rows: New 1.1/2.1, Qualified 1.1/1.1, Proposition 1.1/0.1, Won 1.1/0.1
    //   country rows: BE 1.1/1.1, FR 0.1/1.1; country totals 1.2/2.2
    private static PredictiveScorer ThreeLeadTeam()
    {
        var scorer = Scorer(FourStages, ["country"]);
        scorer.AddOutcome(Lead("1", "A", "Won", LeadOutcome.Won, ["BE"]));
        scorer.AddOutcome(Lead("2", "A", "Qualified", LeadOutcome.Lost, ["BE"]));
        scorer.AddOutcome(Lead("3", "A", "New", LeadOutcome.Lost, ["FR"]));
        return scorer;
    }

    [Fact]
    public void Score_TeamRows_GivesTheHandComputedProbability()
    {
        using var scorer = ThreeLeadTeam();

        var score = AssertScored(scorer.Score(Lead("x", "A", "Qualified", LeadOutcome.Open, ["BE"])));

        // won  = 1.1/3.2 * (1.1/1.1) * (1.1/1.2)
        // lost = 2.1/3.2 * (1.1/2.1) * (1.1/2.2)
        // 100 * won / (won + lost) = 64.705... -> 64.71
        Assert.Equal(64.71, score.Probability);
        Assert.Equal(PredictiveBasis.Team, score.Basis);
        Assert.Equal(1.1, score.PriorWon, 12);
        Assert.Equal(2.1, score.PriorLost, 12);
        Assert.Collection(
            score.Contributions,
            stage =>
            {
                Assert.Equal((PredictiveFactorKind.Stage, "stage", "Qualified"), (stage.Kind, stage.Field, stage.Value));
                Assert.Equal(1.1, stage.Won, 12);
                Assert.Equal(1.1, stage.Lost, 12);
                Assert.Equal(1.1, stage.WonTotal, 12);
                Assert.Equal(2.1, stage.LostTotal, 12);
            },
            country =>
            {
                Assert.Equal((PredictiveFactorKind.Field, "country", "BE"), (country.Kind, country.Field, country.Value));
                Assert.Equal(1.1 / 1.2, country.WonFactor, 12);
                Assert.Equal(0.5, country.LostFactor, 12);
                Assert.True(country.Weight > 0);
            });
    }

    [Fact]
    public void Score_ValueNeverWon_UsesTheSmoothedPointOne()
    {
        using var scorer = ThreeLeadTeam();

        var score = AssertScored(scorer.Score(Lead("x", "A", "New", LeadOutcome.Open, ["FR"])));

        // won  = 1.1/3.2 * (1.1/1.1) * (0.1/1.2)   (FR was never won: 0 + 0.1)
        // lost = 2.1/3.2 * (2.1/2.1) * (1.1/2.2)
        // 100 * won / (won + lost) = 8.0291... -> 8.03
        Assert.Equal(8.03, score.Probability);
        Assert.Equal(0.1, score.Contributions[1].Won, 12);
    }

    [Fact]
    public void Score_UnseenValue_IsSkipped()
    {
        using var scorer = ThreeLeadTeam();

        var withUnseen = AssertScored(scorer.Score(Lead("x", "A", "Qualified", LeadOutcome.Open, ["DE"])));
        var unset = AssertScored(scorer.Score(Lead("y", "A", "Qualified", LeadOutcome.Open, [null])));

        // won = 1.1/3.2 * 1.1/1.1, lost = 2.1/3.2 * 1.1/2.1: both 1.1/3.2 -> 50.00
        Assert.Equal(50.00, withUnseen.Probability);
        Assert.Equal(50.00, unset.Probability);
        Assert.Single(withUnseen.Contributions);
    }

    [Fact]
    public void AddOutcome_LostLead_CountsLostUpToItsStageAndWonLeadCountsEveryStage()
    {
        using var scorer = Scorer(FourStages, []);
        scorer.AddOutcome(Lead("1", "A", "Qualified", LeadOutcome.Lost, []));
        scorer.AddOutcome(Lead("2", "A", "Won", LeadOutcome.Won, []));

        var rows = scorer.GetRows();

        Assert.Equal(
            [
                new PredictiveFrequencyRow("A", PredictiveFactorKind.Stage, "stage", "New", 1.1, 1.1),
                new PredictiveFrequencyRow("A", PredictiveFactorKind.Stage, "stage", "Proposition", 1.1, 0.1),
                new PredictiveFrequencyRow("A", PredictiveFactorKind.Stage, "stage", "Qualified", 1.1, 1.1),
                new PredictiveFrequencyRow("A", PredictiveFactorKind.Stage, "stage", "Won", 1.1, 0.1),
            ],
            rows.OrderBy(r => r.Value, StringComparer.Ordinal));
    }

    [Fact]
    public void AddOutcome_StagesWithTheSameSequence_AreAllCountedForALostLead()
    {
        using var scorer = Scorer([new("B", 2, false), new("A", 1, false), new("A2", 1, false), new("W", 3, true)], []);
        scorer.AddOutcome(Lead("1", null, "A", LeadOutcome.Lost, []));

        var values = scorer.GetRows().Select(r => r.Value).Order(StringComparer.Ordinal);

        Assert.Equal(["A", "A2"], values);
        Assert.Equal(["A", "A2", "B", "W"], scorer.Stages.Select(s => s.Name));
    }

    [Fact]
    public void Score_ProbabilityBelowOneHundredth_IsClampedTo0_01()
    {
        using var scorer = Scorer(TwoStages, ["country"]);
        scorer.AddOutcome(Lead("w", "A", "Won", LeadOutcome.Won, ["BE"]));
        for (var i = 0; i < 2000; i++)
        {
            scorer.AddOutcome(Lead($"l{i}", "A", "New", LeadOutcome.Lost, ["FR"]));
        }

        // won  = 1.1/2001.2 * (1.1/1.1) * (0.1/1.2)
        // lost = 2000.1/2001.2 * (2000.1/2000.1) * (2000.1/2000.2)  -> 100 * won/(won+lost) = 0.0046 -> 0.00 -> clamped 0.01
        var score = AssertScored(scorer.Score(Lead("x", "A", "New", LeadOutcome.Open, ["FR"])));

        Assert.Equal(0.01, score.Probability);
    }

    [Fact]
    public void Score_ProbabilityAboveNinetyNinePointNineNine_IsClampedTo99_99()
    {
        using var scorer = Scorer(TwoStages, ["country"]);
        for (var i = 0; i < 2000; i++)
        {
            scorer.AddOutcome(Lead($"w{i}", "A", "Won", LeadOutcome.Won, ["BE"]));
        }

        scorer.AddOutcome(Lead("l", "A", "New", LeadOutcome.Lost, ["FR"]));

        // won  = 2000.1/2001.2 * 1 * (2000.1/2000.2); lost = 1.1/2001.2 * 1 * (0.1/1.2) -> 99.9954 -> 100.00 -> clamped 99.99
        var score = AssertScored(scorer.Score(Lead("x", "A", "New", LeadOutcome.Open, ["BE"])));

        Assert.Equal(99.99, score.Probability);
    }

    [Fact]
    public void Score_LeadWithoutStage_IsZeroAndLeadInWonStage_IsOneHundred()
    {
        using var scorer = ThreeLeadTeam();

        var noStage = AssertScored(scorer.Score(Lead("x", "A", null, LeadOutcome.Open, ["BE"])));
        var won = AssertScored(scorer.Score(Lead("y", "A", "Won", LeadOutcome.Open, ["FR"])));

        Assert.Equal((0d, PredictiveBasis.NoStage), (noStage.Probability, noStage.Basis));
        Assert.Equal((100d, PredictiveBasis.WonStage), (won.Probability, won.Basis));
        Assert.Empty(won.Contributions);
    }

    [Fact]
    public void Score_WithoutHistory_IsUnscorableAsAValue()
    {
        using var scorer = Scorer(FourStages, ["country"]);

        var score = scorer.Score(Lead("x", "A", "New", LeadOutcome.Open, ["BE"]));

        var unscorable = Assert.IsType<PredictiveScore.Unscorable>(score);
        Assert.Equal("There is no won and lost history in the first stage 'New'.", unscorable.Reason);
        Assert.False(score.TryGetProbability(out _));
        Assert.False(scorer.TryScore(Lead("x", "A", "New", LeadOutcome.Open, ["BE"]), out _));
    }

    [Fact]
    public void Score_TeamWhoseClosedLeadsHadNoStage_IsUnscorable()
    {
        using var scorer = Scorer(FourStages, ["country"]);
        scorer.AddOutcome(Lead("1", "A", null, LeadOutcome.Won, ["BE"]));
        scorer.AddOutcome(Lead("2", "A", null, LeadOutcome.Lost, ["BE"]));

        var score = scorer.Score(Lead("x", "A", "New", LeadOutcome.Open, ["BE"]));

        Assert.Equal(
            "Team 'A' has no won and lost history in the first stage 'New'.",
            Assert.IsType<PredictiveScore.Unscorable>(score).Reason);
    }

    // Team A: one won lead from BE (stage Won); no team: one lead from FR lost in New.
    //   A rows:       New 1.1/0.1, Won 1.1/0.1, BE 1.1/0.1
    //   no-team rows: New 0.1/1.1, FR 0.1/1.1
    //   global view:  New 1.2/1.2, Won 1.1/0.1, BE 1.1/0.1, FR 0.1/1.1, country totals 1.2/1.2
    private static PredictiveScorer TeamAndNoTeam()
    {
        var scorer = Scorer(TwoStages, ["country"]);
        scorer.AddOutcome(Lead("1", "A", "Won", LeadOutcome.Won, ["BE"]));
        scorer.AddOutcome(Lead("2", null, "New", LeadOutcome.Lost, ["FR"]));
        return scorer;
    }

    [Fact]
    public void Score_TeamWithoutRows_UsesTheGlobalViewSummedOverTeamsAndNoTeam()
    {
        using var scorer = TeamAndNoTeam();

        var score = AssertScored(scorer.Score(Lead("x", "B", "New", LeadOutcome.Open, ["FR"])));

        // prior 1.2/2.4 each; stage New 1.2/1.2 both; FR: won 0.1/1.2, lost 1.1/1.2 -> 100 * 0.1/1.2 = 8.33
        Assert.Equal((8.33, PredictiveBasis.Global), (score.Probability, score.Basis));
        Assert.Equal(1.2, score.PriorWon, 12);
        Assert.Equal(1.2, score.PriorLost, 12);
    }

    [Fact]
    public void Score_LeadWithoutTeam_UsesTheGlobalView()
    {
        using var scorer = TeamAndNoTeam();

        var score = AssertScored(scorer.Score(Lead("x", null, "New", LeadOutcome.Open, ["BE"])));

        // prior 1.2/1.2 (New summed over A and no team); BE: won 1.1/1.2, lost 0.1/1.2 -> 91.67
        Assert.Equal((91.67, PredictiveBasis.Global), (score.Probability, score.Basis));
    }

    [Fact]
    public void Score_TeamWithRows_UsesOnlyItsOwnRows()
    {
        using var scorer = TeamAndNoTeam();

        var score = AssertScored(scorer.Score(Lead("x", "A", "New", LeadOutcome.Open, ["FR"])));

        // team A: prior 1.1/0.1, stage New 1.1/1.1 and 0.1/0.1, FR has no row in A -> 100 * 1.1/1.2 = 91.67
        Assert.Equal((91.67, PredictiveBasis.Team), (score.Probability, score.Basis));
        Assert.Single(score.Contributions);
    }

    [Fact]
    public void AddOutcome_LeadsWithoutTeam_ShareTheNoTeamBucket()
    {
        using var scorer = TeamAndNoTeam();
        scorer.AddOutcome(Lead("3", "", "New", LeadOutcome.Lost, ["FR"]));

        var noTeam = scorer.GetRows().Where(r => r.Team is null).ToArray();

        Assert.Equal(
            [
                new PredictiveFrequencyRow(null, PredictiveFactorKind.Stage, "stage", "New", 0.1, 2.1),
                new PredictiveFrequencyRow(null, PredictiveFactorKind.Field, "country", "FR", 0.1, 2.1),
            ],
            noTeam);
    }

    // 50 won and 50 lost leads in New/Won. Tag "vip" on vipWon won and vipLost lost leads, tag "other" on 10 won and 40 lost others.
    private static PredictiveScorer Tagged(int vipWon, int vipLost)
    {
        var scorer = Scorer(TwoStages, []);
        var n = 0;
        for (var i = 0; i < vipWon; i++)
        {
            scorer.AddOutcome(Lead($"{n++}", "A", "Won", LeadOutcome.Won, [], "vip"));
        }

        for (var i = 0; i < vipLost; i++)
        {
            scorer.AddOutcome(Lead($"{n++}", "A", "New", LeadOutcome.Lost, [], "vip"));
        }

        for (var i = 0; i < 10; i++)
        {
            scorer.AddOutcome(Lead($"{n++}", "A", "Won", LeadOutcome.Won, [], "other"));
        }

        for (var i = 0; i < 40; i++)
        {
            scorer.AddOutcome(Lead($"{n++}", "A", "New", LeadOutcome.Lost, [], "other"));
        }

        return scorer;
    }

    [Fact]
    public void Score_TagWithFiftyClosedLeads_Counts()
    {
        using var scorer = Tagged(vipWon: 40, vipLost: 10);

        var score = AssertScored(scorer.Score(Lead("x", "A", "New", LeadOutcome.Open, [], "vip")));

        // prior 50.1/50.1 each; stage New 50.1/50.1 both; vip 40.1/10.1 of tag totals 50.2/50.2 -> 100 * 40.1/50.2 = 79.88
        Assert.Equal(79.88, score.Probability);
        Assert.Equal(PredictiveFactorKind.Tag, score.Contributions[1].Kind);
    }

    [Fact]
    public void Score_TagWithFortyNineClosedLeads_IsIgnored()
    {
        using var scorer = Tagged(vipWon: 40, vipLost: 9);

        var tagged = AssertScored(scorer.Score(Lead("x", "A", "New", LeadOutcome.Open, [], "vip")));
        var untagged = AssertScored(scorer.Score(Lead("y", "A", "New", LeadOutcome.Open, [])));

        // vip row 40.1 + 9.1 = 49.2 < 50: ignored, only the prior 50.1/99.2 (and stage New 1/1) remains -> 50.50
        Assert.Equal(50.50, tagged.Probability);
        Assert.Equal(untagged.Probability, tagged.Probability);
        Assert.Single(tagged.Contributions);
    }

    [Fact]
    public void Score_TagSupport_IsCheckedPerTeamRowBeforeTheGlobalSum()
    {
        using var scorer = Scorer(TwoStages, []);
        for (var i = 0; i < 30; i++)
        {
            scorer.AddOutcome(Lead($"a{i}", "A", "Won", LeadOutcome.Won, [], "vip"));
            scorer.AddOutcome(Lead($"b{i}", "B", "Won", LeadOutcome.Won, [], "vip"));
            scorer.AddOutcome(Lead($"c{i}", "C", "New", LeadOutcome.Lost, []));
        }

        // 60 vip leads in total, but 30 per team: no vip row reaches 50, so the global view has no vip row.
        var score = AssertScored(scorer.Score(Lead("x", "Z", "New", LeadOutcome.Open, [], "vip")));

        Assert.Equal(PredictiveBasis.Global, score.Basis);
        Assert.Single(score.Contributions);
        // global New row: A 30.1/0.1 + B 30.1/0.1 + C 0.1/30.1 = 60.3/30.3; stage factor 1/1 -> 100 * 60.3/90.6 = 66.56
        Assert.Equal(66.56, score.Probability);
    }

    [Fact]
    public void Score_MissingAsValueField_CountsAndScoresTheUnsetValue()
    {
        using var scorer = Scorer(TwoStages, ["email_state"], missingAsValue: ["email_state"]);
        scorer.AddOutcome(Lead("1", "A", "Won", LeadOutcome.Won, [null]));
        scorer.AddOutcome(Lead("2", "A", "New", LeadOutcome.Lost, ["correct"]));

        var score = AssertScored(scorer.Score(Lead("x", "A", "New", LeadOutcome.Open, [null])));

        // prior 1.1/1.1; stage New 1.1/1.1 both; unset row 1.1/0.1 of totals 1.2/1.2 -> 100 * 1.1/1.2 = 91.67
        Assert.Equal(91.67, score.Probability);
        var missing = score.Contributions[1];
        Assert.Equal(("email_state", (string?)null), (missing.Field, missing.Value));
        Assert.Contains(new PredictiveFrequencyRow("A", PredictiveFactorKind.Field, "email_state", null, 1.1, 0.1), scorer.GetRows());
    }

    [Fact]
    public void Score_UnsetValueOfOrdinaryField_IsNotCounted()
    {
        using var scorer = Scorer(TwoStages, ["email_state"]);
        scorer.AddOutcome(Lead("1", "A", "Won", LeadOutcome.Won, [null]));
        scorer.AddOutcome(Lead("2", "A", "New", LeadOutcome.Lost, ["correct"]));

        var score = AssertScored(scorer.Score(Lead("x", "A", "New", LeadOutcome.Open, [null])));

        Assert.Equal(50.00, score.Probability);
        Assert.DoesNotContain(scorer.GetRows(), r => r.Field == "email_state" && r.Value is null);
    }

    [Fact]
    public void Score_RepeatedTag_CountsOnce()
    {
        using var once = Tagged(vipWon: 40, vipLost: 10);
        using var twice = Tagged(vipWon: 40, vipLost: 10);
        twice.AddOutcome(Lead("extra", "A", "Won", LeadOutcome.Won, [], "vip", "vip"));
        once.AddOutcome(Lead("extra", "A", "Won", LeadOutcome.Won, [], "vip"));

        Assert.Equal(once.GetRows().ToArray(), twice.GetRows().ToArray());
        Assert.Equal(
            once.Score(Lead("x", "A", "New", LeadOutcome.Open, [], "vip")).TryGetProbability(out var a) ? a : -1,
            twice.Score(Lead("x", "A", "New", LeadOutcome.Open, [], "vip", "vip")).TryGetProbability(out var b) ? b : -2);
    }

    [Fact]
    public void AddOutcome_OpenLead_ThrowsArgumentException()
    {
        using var scorer = Scorer(FourStages, ["country"]);

        var error = Assert.Throws<ArgumentException>(() => scorer.AddOutcome(Lead("7", "A", "New", LeadOutcome.Open, ["BE"])));

        Assert.StartsWith("Lead '7' is Open: only won or lost leads are counted.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOutcome_UnknownStageOrWrongValueCount_ThrowsArgumentException()
    {
        using var scorer = Scorer(FourStages, ["country"]);

        var stage = Assert.Throws<ArgumentException>(() => scorer.AddOutcome(Lead("7", "A", "Lost", LeadOutcome.Lost, ["BE"])));
        var values = Assert.Throws<ArgumentException>(() => scorer.Score(Lead("8", "A", "New", LeadOutcome.Open, [])));

        Assert.StartsWith("Lead '7' is in stage 'Lost', which is not a known stage.", stage.Message, StringComparison.Ordinal);
        Assert.StartsWith("Lead '8' has 0 values but the scorer counts 1 fields.", values.Message, StringComparison.Ordinal);
        Assert.Equal(0, scorer.OutcomeCount);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var options = new PredictiveScoringOptions { Fields = ["a", "a", ""], MissingAsValueFields = ["b"], TagSupportThreshold = -1 };

        var error = Assert.Throws<OptionsValidationException>(() => new PredictiveScorer(FourStages, options));

        Assert.Equal(
            [
                "Property Fields: field 'a' is listed more than once",
                "Property Fields: field 2 must have a non-empty name",
                "Property MissingAsValueFields: field 'b' is not one of Fields",
                "Property TagSupportThreshold: must be zero or more",
            ],
            error.Failures);
    }

    [Fact]
    public void Constructor_NoStageOrDuplicateStage_ThrowsArgumentException()
    {
        var options = new PredictiveScoringOptions();

        Assert.Throws<ArgumentException>(() => new PredictiveScorer([], options));
        Assert.Throws<ArgumentException>(() => new PredictiveScorer([new("A", 1, false), new("A", 2, true)], options));
    }

    [Fact]
    public void Rebuild_SkipsOpenLeadsAndReplacesTheTables()
    {
        using var scorer = ThreeLeadTeam();

        var counted = scorer.Rebuild(
        [
            Lead("1", "A", "Won", LeadOutcome.Won, ["BE"]),
            Lead("9", "A", "New", LeadOutcome.Open, ["DE"]),
            Lead("2", "A", "Qualified", LeadOutcome.Lost, ["BE"]),
            Lead("3", "A", "New", LeadOutcome.Lost, ["FR"]),
        ]);

        using var incremental = ThreeLeadTeam();
        Assert.Equal(3, counted);
        Assert.Equal(incremental.GetRows().ToArray(), scorer.GetRows().ToArray());
        Assert.DoesNotContain(scorer.GetRows(), r => r.Value == "DE");
    }

    [Fact]
    public void Rebuild_BadRecord_LeavesTheScorerEmpty()
    {
        using var scorer = ThreeLeadTeam();

        Assert.Throws<ArgumentException>(() => scorer.Rebuild([Lead("1", "A", "Won", LeadOutcome.Won, ["BE"]), Lead("2", "A", "Nope", LeadOutcome.Lost, ["BE"])]));

        Assert.Empty(scorer.GetRows());
        Assert.Equal(0, scorer.OutcomeCount);
    }
}
