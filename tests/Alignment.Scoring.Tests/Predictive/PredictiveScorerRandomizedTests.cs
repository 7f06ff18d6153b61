using Alignment.Scoring.Predictive;

namespace Alignment.Scoring.Tests.Predictive;

/// <summary>Randomized checks of <see cref="PredictiveScorer"/>: incremental training against a full rebuild and against a literal reference.</summary>
public sealed class PredictiveScorerRandomizedTests
{
    private static readonly PipelineStage[] Stages =
    [
        new("Qualified", 2, false), new("New", 1, false), new("Proposition", 3, false), new("Negotiation", 3, false),
        new("Won", 9, true),
    ];

    private static readonly string[] Fields = ["country", "source", "email_state"];
    private static readonly string[] MissingAsValue = ["email_state"];
    private static readonly string?[] Teams = [null, "A", "B", "C"];
    private static readonly string?[] Countries = [null, "BE", "FR", "DE", "US", "IN"];
    private static readonly string?[] Sources = [null, "web", "ads", "event"];
    private static readonly string?[] EmailStates = [null, "correct", "incorrect"];
    private static readonly string[] TagPool = ["vip", "partner", "rare", "smb", "rare2"];

    private static PredictiveScorer NewScorer()
        => new(Stages, new PredictiveScoringOptions { Fields = Fields, MissingAsValueFields = MissingAsValue });

    private static PredictiveRecord RandomLead(Random random, int id, LeadOutcome outcome)
    {
        var stage = outcome switch
        {
            LeadOutcome.Won => random.Next(4) == 0 ? null : "Won",
            _ => random.Next(12) == 0 ? null : Stages[random.Next(4)].Name,
        };
        var tags = new List<string>();
        foreach (var tag in TagPool)
        {
            // "rare" tags stay around the support threshold; the others cross it.
            var chance = tag.StartsWith("rare", StringComparison.Ordinal) ? 0.03 : 0.3;
            if (random.NextDouble() < chance)
            {
                tags.Add(tag);
            }
        }

        return new PredictiveRecord(
            id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Teams[random.Next(Teams.Length)],
            stage,
            outcome,
            [Countries[random.Next(Countries.Length)], Sources[random.Next(Sources.Length)], EmailStates[random.Next(EmailStates.Length)]],
            [.. tags]);
    }

    private static List<PredictiveRecord> History(Random random, int count)
    {
        var history = new List<PredictiveRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(10);
            var outcome = roll < 3 ? LeadOutcome.Won : roll < 9 ? LeadOutcome.Lost : LeadOutcome.Open;
            history.Add(RandomLead(random, i, outcome));
        }

        return history;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AddOutcome_OneAtATime_EqualsAFullRebuild(int seed)
    {
        var random = new Random(seed);
        var history = History(random, 1500);
        var probes = new List<PredictiveRecord>();
        for (var i = 0; i < 300; i++)
        {
            probes.Add(RandomLead(random, 100_000 + i, LeadOutcome.Open));
        }

        using var rebuilt = NewScorer();
        rebuilt.Rebuild(history);
        using var incremental = NewScorer();
        using var mixed = NewScorer();
        mixed.Rebuild(history.Take(history.Count / 2));
        for (var i = 0; i < history.Count; i++)
        {
            if (history[i].Outcome == LeadOutcome.Open)
            {
                continue;
            }

            incremental.AddOutcome(history[i]);
            if (i >= history.Count / 2)
            {
                mixed.AddOutcome(history[i]);
            }

            if (i % 100 == 0)
            {
                _ = incremental.Score(probes[i % probes.Count]); // scoring between outcomes must not disturb training
            }
        }

        Assert.Equal(rebuilt.OutcomeCount, incremental.OutcomeCount);
        Assert.Equal(rebuilt.GetRows().ToArray(), incremental.GetRows().ToArray());
        Assert.Equal(rebuilt.GetRows().ToArray(), mixed.GetRows().ToArray());
        var scored = 0;
        foreach (var probe in probes)
        {
            var expected = rebuilt.Score(probe);
            AssertSameScore(expected, incremental.Score(probe));
            AssertSameScore(expected, mixed.Score(probe));
            scored += expected is PredictiveScore.Scored { Basis: PredictiveBasis.Team or PredictiveBasis.Global } ? 1 : 0;
        }

        Assert.True(scored > 200, $"only {scored} probes exercised the formula");
    }

    [Theory]
    [InlineData(11, 40)]
    [InlineData(12, 400)]
    [InlineData(13, 3000)]
    public void Score_MatchesALiteralReadingOfTheMethodToTwoDecimals(int seed, int historySize)
    {
        var random = new Random(seed);
        var history = History(random, historySize);
        using var scorer = NewScorer();
        scorer.Rebuild(history);
        var reference = new ReferenceScorer(Stages, Fields, MissingAsValue);
        foreach (var record in history)
        {
            reference.Add(record);
        }

        int scored = 0;
        for (var i = 0; i < 300; i++)
        {
            var probe = RandomLead(random, 100_000 + i, LeadOutcome.Open);
            if (i % 7 == 0)
            {
                probe = probe with { Team = "Z" }; // a team without rows: global view
            }

            var expected = reference.Score(probe);
            var actual = scorer.TryScore(probe, out var probability) ? probability : (double?)null;
            Assert.Equal(expected.HasValue, actual.HasValue);
            if (expected.HasValue)
            {
                scored++;
                Assert.True(Math.Abs(expected.Value - actual!.Value) <= 0.010001, $"lead {probe.Id}: reference {expected}, scorer {actual}");
            }
        }

        // The values were compared at all: most probes are scorable (the rest have no usable history).
        Assert.True(scored >= 150, $"only {scored} of 300 probes were scorable, so the values were hardly compared");
    }

    private static void AssertSameScore(PredictiveScore expected, PredictiveScore actual)
    {
        switch (expected)
        {
            case PredictiveScore.Scored e:
                var a = Assert.IsType<PredictiveScore.Scored>(actual);
                Assert.Equal((e.Probability, e.Basis, e.PriorWon, e.PriorLost), (a.Probability, a.Basis, a.PriorWon, a.PriorLost));
                Assert.Equal(e.Contributions.ToArray(), a.Contributions.ToArray());
                break;
            case PredictiveScore.Unscorable e:
                Assert.Equal(e, actual);
                break;
        }
    }

    /// <summary>
    /// The method as the issue states it, written for clarity, with string keys and float rows smoothed at creation like Odoo's table.
    /// </summary>
    private sealed class ReferenceScorer(PipelineStage[] stages, string[] fields, string[] missingAsValue)
    {
        private const string Tag = "\u0001tag";
        private const string Stage = "\u0001stage";
        private readonly Dictionary<(string Team, string Field, string Value), (double Won, double Lost)> _rows = [];

        public void Add(PredictiveRecord lead)
        {
            if (lead.Outcome == LeadOutcome.Open)
            {
                return;
            }

            var team = lead.Team ?? "";
            var won = lead.Outcome == LeadOutcome.Won ? 1 : 0;
            if (lead.Stage is not null)
            {
                var sequence = stages.Single(s => s.Name == lead.Stage).Sequence;
                foreach (var stage in stages.Where(s => won == 1 || s.Sequence <= sequence))
                {
                    Bump(team, Stage, stage.Name, won);
                }
            }

            for (var i = 0; i < fields.Length; i++)
            {
                if (lead.Values[i] is { } value)
                {
                    Bump(team, fields[i], value, won);
                }
                else if (missingAsValue.Contains(fields[i]))
                {
                    Bump(team, fields[i], "\u0001missing", won);
                }
            }

            foreach (var tag in lead.Tags.Distinct())
            {
                Bump(team, Tag, tag, won);
            }
        }

        public double? Score(PredictiveRecord lead)
        {
            if (lead.Stage is null)
            {
                return 0;
            }

            if (stages.Single(s => s.Name == lead.Stage).IsWon)
            {
                return 100;
            }

            var usable = _rows.Where(r => r.Key.Field != Tag || r.Value.Won + r.Value.Lost >= 50).ToList();
            Dictionary<(string Field, string Value), (double Won, double Lost)> view;
            if (lead.Team is not null && _rows.Keys.Any(k => k.Team == lead.Team))
            {
                view = usable.Where(r => r.Key.Team == lead.Team).ToDictionary(r => (r.Key.Field, r.Key.Value), r => r.Value);
            }
            else
            {
                view = usable.GroupBy(r => (r.Key.Field, r.Key.Value))
                    .ToDictionary(g => g.Key, g => (g.Sum(r => r.Value.Won), g.Sum(r => r.Value.Lost)));
            }

            var first = stages.OrderBy(s => s.Sequence).First().Name;
            if (!view.TryGetValue((Stage, first), out var prior) || prior.Won == 0 || prior.Lost == 0)
            {
                return null;
            }

            var won = prior.Won / (prior.Won + prior.Lost);
            var lost = prior.Lost / (prior.Won + prior.Lost);
            if (view.TryGetValue((Stage, lead.Stage), out var stageRow))
            {
                won *= stageRow.Won / prior.Won;
                lost *= stageRow.Lost / prior.Lost;
            }

            var values = new List<(string Field, string Value)>();
            for (var i = 0; i < fields.Length; i++)
            {
                if (lead.Values[i] is { } value)
                {
                    values.Add((fields[i], value));
                }
                else if (missingAsValue.Contains(fields[i]))
                {
                    values.Add((fields[i], "\u0001missing"));
                }
            }

            values.AddRange(lead.Tags.Distinct().Select(t => (Tag, t)));
            foreach (var (field, value) in values)
            {
                if (view.TryGetValue((field, value), out var row))
                {
                    won *= row.Won / view.Where(v => v.Key.Field == field).Sum(v => v.Value.Won);
                    lost *= row.Lost / view.Where(v => v.Key.Field == field).Sum(v => v.Value.Lost);
                }
            }

            return Math.Clamp(Math.Round(100 * won / (won + lost), 2, MidpointRounding.ToEven), 0.01, 99.99);
        }

        private void Bump(string team, string field, string value, int won)
        {
            var key = (team, field, value);
            var row = _rows.TryGetValue(key, out var existing) ? existing : (0.1, 0.1);
            _rows[key] = (row.Item1 + won, row.Item2 + (1 - won));
        }
    }
}
