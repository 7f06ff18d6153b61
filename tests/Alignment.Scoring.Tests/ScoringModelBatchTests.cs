using Alignment.Activities;
using Alignment.Leads;
using static Alignment.Scoring.Tests.TestData;

namespace Alignment.Scoring.Tests;

/// <summary>Batch, encoded and parallel paths: agreement with the explained path, zero allocation, determinism, thread safety.</summary>
public sealed class ScoringModelBatchTests
{
    private const string Sections = """
        "categories": [ {"id": "product", "cap": 60} ],
        "fit": [
          {"id": "sw", "points": 15, "grade": "+1", "when": {"field": "company.industry", "in": ["Software", "Financial Services"]}},
          {"id": "big", "points": 10, "grade": "+1/3", "when": {"field": "company.employeeCount", "between": [200, 5000]}},
          {"id": "vp", "points": 12, "when": {"field": "person.jobTitle", "containsAny": ["VP", "Chief", "Director"]}},
          {"id": "intent", "points": 7.5, "when": {"all": [{"field": "attributes.intentScore", "gte": 50}, {"not": {"field": "attributes.plan", "isMissing": true}}]}},
          {"id": "gov", "points": -5, "grade": "-2/3", "when": {"field": "company.industry", "equals": "Government"}}
        ],
        "engagement": [
          {"id": "pricing", "activity": "pageView", "urlContains": "/pricing", "points": 10, "windowDays": 30, "cap": 30, "decay": {"halfLifeDays": 7}, "category": "product"},
          {"id": "forms", "activity": "formSubmitted", "points": 15, "windowDays": 180, "cap": 30, "decay": {"steps": [{"afterDays": 30, "factor": 0.5}]}, "category": "product"},
          {"id": "opens", "activity": "emailOpened", "points": 1, "windowDays": 90, "cap": 10, "decay": {"halfLifeDays": 30}}
        ],
        "negative": [
          {"id": "unsub", "activity": "unsubscribed", "points": -50, "cap": 50},
          {"id": "competitor", "when": {"field": "person.emailDomain", "equals": "rival.com"}, "points": -100},
          {"id": "inactive", "inactiveDays": 60, "points": -10}
        ]
        """;

    private static readonly string[] Industries = ["Software", "Financial Services", "Government", "Retail", "software", null!];
    private static readonly string[] Titles = ["VP Sales", "Chief of Staff", "Analyst", "Director IT", "Intern"];
    private static readonly ActivityType[] Types = [ActivityType.PageView, ActivityType.FormSubmitted, ActivityType.EmailOpened, ActivityType.Unsubscribed, ActivityType.EmailSent];

    internal static (Lead[] Leads, LeadActivity[] Activities, int[] Offsets) Workload(int count, int seed)
    {
        var random = new Random(seed);
        var leads = new Lead[count];
        var activities = new List<LeadActivity>();
        var offsets = new int[count + 1];
        for (int i = 0; i < count; i++)
        {
            leads[i] = Lead(
                id: "L" + i,
                industry: Industries[random.Next(Industries.Length)],
                employees: random.Next(4) == 0 ? null : random.Next(1, 20_000),
                title: Titles[random.Next(Titles.Length)],
                email: random.Next(10) == 0 ? "x@rival.com" : "x@acme.com",
                intent: random.Next(3) == 0 ? double.NaN : random.Next(100),
                plan: random.Next(2) == 0 ? null : "pro",
                created: Now.AddDays(-random.Next(400)));
            offsets[i] = activities.Count;
            int n = random.Next(0, 30);
            for (int j = 0; j < n; j++)
            {
                activities.Add(new LeadActivity(Types[random.Next(Types.Length)], Now.AddHours(24 - random.Next(24 * 200)))
                {
                    Url = random.Next(2) == 0 ? "https://x.com/pricing" : "https://x.com/blog",
                });
            }
        }

        offsets[count] = activities.Count;
        return (leads, [.. activities], offsets);
    }

    [Fact]
    public void AllPaths_GiveTheSameScores_AndExplanationsAddUp()
    {
        var model = Compile(Sections);
        var (leads, acts, offsets) = Workload(2_000, seed: 11);
        var batch = new LeadScore[leads.Length];
        var encoded = new LeadScore[leads.Length];
        var parallel = new LeadScore[leads.Length];
        model.ScoreBatch(leads, new LeadActivities(acts, offsets), Now, batch);
        var enc = model.Encode(leads);
        model.ScoreEncoded(enc, new LeadActivities(acts, offsets), Now, encoded);
        model.ScoreEncodedParallel(enc, Now, parallel, acts, offsets);
        for (int i = 0; i < leads.Length; i++)
        {
            var own = acts.AsSpan(offsets[i], offsets[i + 1] - offsets[i]);
            var card = model.Score(leads[i], own, Now);
            var single = model.Evaluate(leads[i], own, Now);
            Assert.Equal(card.Total, card.Explanation.Sum(c => c.Points));
            Assert.Equal(card.Total, card.Categories.Sum(c => c.Points));
            Assert.Equal(card.Total, card.Fit + card.Engagement);
            Assert.Equal((card.Total, card.Fit, card.Grade, card.State), (single.Total, single.Fit, single.Grade, single.State));
            Assert.Equal(single, batch[i]);
            Assert.Equal(single, encoded[i]);
            Assert.Equal(single, parallel[i]);
        }
    }

    [Fact]
    public void InterpretedConditions_GiveTheSameScoresAsCompiledOnes()
    {
        var compiled = Compile(Sections);
        var interpreted = ScoringModel.Load(Model(Sections), new ScoringModelOptions { Schema = Schema, PreferInterpretation = true });
        var (leads, acts, offsets) = Workload(2_000, seed: 21);
        var a = new LeadScore[leads.Length];
        var b = new LeadScore[leads.Length];
        compiled.ScoreEncoded(compiled.Encode(leads), new LeadActivities(acts, offsets), Now, a);
        interpreted.ScoreEncoded(interpreted.Encode(leads), new LeadActivities(acts, offsets), Now, b);
        Assert.Equal(a, b);
        interpreted.ScoreBatch(leads, new LeadActivities(acts, offsets), Now, b);
        Assert.Equal(a, b);
        for (int i = 0; i < 200; i++)
        {
            var own = acts.AsSpan(offsets[i], offsets[i + 1] - offsets[i]);
            Assert.True(compiled.Score(leads[i], own, Now).Explanation.SequenceEqual(interpreted.Score(leads[i], own, Now).Explanation));
        }
    }

    [Fact]
    public void ScoreBatch_AllocatesNothingPerLead()
    {
        var model = Compile(Sections);
        var (leads, acts, offsets) = Workload(5_000, seed: 3);
        var results = new LeadScore[leads.Length];
        var enc = model.Encode(leads);
        model.ScoreBatch(leads, new LeadActivities(acts, offsets), Now, results); // warm up (JIT, tiering)
        model.ScoreEncoded(enc, new LeadActivities(acts, offsets), Now, results);

        // Each path is measured three times and the least is kept: a real per-lead allocation shows in every run
        // (5,000 leads), while a one-off runtime allocation on this thread (tiering, a GC under heavy load) does not.
        long objects = Least(() => model.ScoreBatch(leads, new LeadActivities(acts, offsets), Now, results));
        long encodedBytes = Least(() => model.ScoreEncoded(enc, new LeadActivities(acts, offsets), Now, results));
        long single = Least(() =>
        {
            for (int i = 0; i < leads.Length; i++)
            {
                results[i] = model.Evaluate(leads[i], acts.AsSpan(offsets[i], offsets[i + 1] - offsets[i]), Now);
            }
        });
        Assert.Equal((0L, 0L, 0L), (objects, encodedBytes, single));
    }

    private static long Least(Action run)
    {
        long least = long.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            run();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }

    [Fact]
    public void Scoring_IsDeterministic_AcrossModelInstancesAndRuns()
    {
        var (leads, acts, offsets) = Workload(1_000, seed: 5);
        var first = new LeadScore[leads.Length];
        var second = new LeadScore[leads.Length];
        Compile(Sections).ScoreBatch(leads, new LeadActivities(acts, offsets), Now, first);
        Compile(Sections).ScoreBatch(leads, new LeadActivities(acts, offsets), Now, second);
        Assert.Equal(first, second);

        // A pinned checksum catches any change of arithmetic (rounding, decay, caps) between versions and machines.
        long checksum = 0;
        foreach (var r in first)
        {
            checksum = (checksum * 31) + r.TotalHundredths + ((int)r.Grade * 7) + (int)r.State;
        }

        Assert.Equal(ExpectedChecksum, checksum);
    }

    // Pinned from a run of this version; the other tests check the arithmetic case by case. A change here means existing
    // models would score existing leads differently: review it as a breaking change before updating the pin.
    private const long ExpectedChecksum = -2397646163521804749;

    [Fact]
    public void OneModel_ScoresFromManyThreads_WithTheSameResults()
    {
        var model = Compile(Sections);
        var (leads, acts, offsets) = Workload(3_000, seed: 9);
        var expected = new LeadScore[leads.Length];
        model.ScoreBatch(leads, new LeadActivities(acts, offsets), Now, expected);
        var results = new LeadScore[8][];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            results[t] = new LeadScore[leads.Length];
            for (int rep = 0; rep < 3; rep++)
            {
                model.ScoreBatch(leads, new LeadActivities(acts, offsets), Now, results[t]);
                _ = model.Score(leads[t], acts.AsSpan(offsets[t], offsets[t + 1] - offsets[t]), Now);
            }
        });
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void BadBatchArguments_AreRefusedWithClearMessages()
    {
        var model = Compile(Sections);
        var (leads, acts, offsets) = Workload(10, seed: 1);
        var ex = Assert.Throws<ArgumentException>(() => model.ScoreBatch(leads, LeadActivities.None, Now, new LeadScore[5]));
        Assert.StartsWith("The results span holds 5 scores but there are 10 leads.", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => model.ScoreBatch(leads.AsSpan(0, 9), new LeadActivities(acts, offsets), Now, new LeadScore[10]));
        Assert.StartsWith("The activities cover 10 leads but there are 9.", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => new LeadActivities(acts, [0, 5, 3, acts.Length]));
        Assert.StartsWith("Offsets must never decrease; offsets[2] = 3 follows 5.", ex.Message, StringComparison.Ordinal);
        var other = Compile(Sections).Encode(leads);
        ex = Assert.Throws<ArgumentException>(() => model.ScoreEncoded(other, LeadActivities.None, Now, new LeadScore[10]));
        Assert.StartsWith("The batch was encoded by another model", ex.Message, StringComparison.Ordinal);
        Lead[] withNull = [leads[0], null!];
        ex = Assert.Throws<ArgumentException>(() => model.ScoreBatch(withNull, LeadActivities.None, Now, new LeadScore[2]));
        Assert.StartsWith("The lead at index 1 is null.", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => model.Score(leads[0], [new LeadActivity((ActivityType)99, Now)], Now));
        Assert.StartsWith("Lead L0: activity type 99 is not defined.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScoreBatch_HonoursCancellation()
    {
        var model = Compile(Sections);
        var (leads, _, _) = Workload(10, seed: 1);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => model.ScoreBatch(leads, LeadActivities.None, Now, new LeadScore[10], cts.Token));
    }
}
