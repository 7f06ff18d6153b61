using Alignment.Activities;
using Alignment.Leads;
using static Alignment.Scoring.Tests.TestData;

namespace Alignment.Scoring.Tests;

/// <summary>
/// The row table (one compact table by activity type and age) must score exactly like the matcher loop it replaces on the
/// hot path: every rule kind, every decay, windows, filters, several rules per type, activities in the future and far past.
/// </summary>
public class ActivityRowTableTests
{
    private static readonly ActivityType[] Types = Enum.GetValues<ActivityType>();

    private static readonly string[] Urls = ["https://x.com/pricing", "https://x.com/DOCS/api", "https://x.com/", null!];

    private static readonly string[] Campaigns = ["Q1-launch", "q1-LAUNCH", "other", null!];

    public static TheoryData<string> Models => new()
    {
        // One unfiltered rule per type at most, with a filtered rule beside it (the benchmark's shape).
        """
        "engagement": [
          {"id": "pages", "activity": "pageView", "points": 0.5, "windowDays": 30, "cap": 10, "decay": {"halfLifeDays": 14}},
          {"id": "pricing", "activity": "pageView", "urlContains": "/pricing", "points": 10, "windowDays": 30, "decay": {"halfLifeDays": 7}},
          {"id": "docs", "activity": "pageView", "urlContains": "/docs", "points": 2, "windowDays": 60},
          {"id": "forms", "activity": "formSubmitted", "points": 15, "windowDays": 180, "decay": {"steps": [{"afterDays": 30, "factor": 0.5}]}},
          {"id": "web", "activity": "webinarAttended", "campaign": "Q1-LAUNCH", "points": 15}
        ],
        "negative": [
          {"id": "unsubscribed", "activity": "unsubscribed", "points": -50, "cap": 50},
          {"id": "bounced", "activity": "bounced", "points": -10, "windowDays": 180, "cap": 30}
        ]
        """,
        // Several unfiltered rules on one type, decay without a window (half-life to 0, steps to a tail), inactivity.
        """
        "engagement": [
          {"id": "opens-recent", "activity": "emailOpened", "points": 2, "windowDays": 7},
          {"id": "opens", "activity": "emailOpened", "points": 1, "decay": {"halfLifeDays": 30}},
          {"id": "opens-steps", "activity": "emailOpened", "points": 3, "decay": {"steps": [{"afterDays": 10, "factor": 0.5}, {"afterDays": 400, "factor": 0.25}]}},
          {"id": "visits", "activity": "webVisit", "points": 2, "windowDays": 3660, "decay": {"halfLifeDays": 700}},
          {"id": "demo", "activity": "demoRequested", "points": 40, "cap": 40},
          {"id": "clicks", "activity": "emailClicked", "points": 0.01}
        ],
        "negative": [ {"id": "inactive", "inactiveDays": 60, "points": -10} ]
        """,
        // A half-life with no window that is still above 0 after ten years: the model keeps the matcher loop.
        """
        "engagement": [
          {"id": "events", "activity": "eventContact", "points": 100000, "decay": {"halfLifeDays": 3000}},
          {"id": "meetings", "activity": "salesMeeting", "points": 5, "windowDays": 90}
        ]
        """,
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Row_table_scores_exactly_like_the_matcher_loop(string sections)
    {
        var fast = ScoringModel.Load(Model(sections), new ScoringModelOptions { Schema = Schema });
        var scalar = ScoringModel.Load(Model(sections), new ScoringModelOptions { Schema = Schema, ScalarActivities = true });
        Assert.False(scalar.UsesActivityTable);
        Assert.Equal(!sections.Contains("100000", StringComparison.Ordinal), fast.UsesActivityTable);
        var random = new Random(42);
        for (int n = 0; n < 400; n++)
        {
            var lead = Lead("L" + n, created: n % 3 == 0 ? null : Now.AddDays(-random.Next(0, 400)));
            var activities = new LeadActivity[random.Next(0, 60)];
            for (int i = 0; i < activities.Length; i++)
            {
                // Mostly recent, some in the far past (beyond any table) and some after the scoring instant.
                double daysAgo = random.Next(10) switch
                {
                    0 => random.NextDouble() * 20_000,
                    1 => -random.NextDouble() * 5,
                    _ => random.NextDouble() * 200,
                };
                activities[i] = Act(Types[random.Next(Types.Length)], daysAgo, Urls[random.Next(Urls.Length)], Campaigns[random.Next(Campaigns.Length)]);
            }

            Assert.Equal(scalar.Evaluate(lead, activities, Now), fast.Evaluate(lead, activities, Now));
            if (n % 20 == 0)
            {
                var expected = scalar.Score(lead, activities, Now);
                var actual = fast.Score(lead, activities, Now);
                Assert.Equal(expected.Total, actual.Total);
                Assert.Equal(expected.Explanation.ToArray(), actual.Explanation.ToArray());
            }
        }
    }

    [Fact]
    public void Exact_ages_at_window_and_decay_boundaries_match()
    {
        const string sections = """
            "engagement": [
              {"id": "w", "activity": "webVisit", "points": 7, "windowDays": 30, "decay": {"halfLifeDays": 10}},
              {"id": "s", "activity": "webVisit", "points": 4, "decay": {"steps": [{"afterDays": 30, "factor": 0.5}]}}
            ]
            """;
        var fast = ScoringModel.Load(Model(sections), new ScoringModelOptions { Schema = Schema });
        var scalar = ScoringModel.Load(Model(sections), new ScoringModelOptions { Schema = Schema, ScalarActivities = true });
        var lead = Lead();
        foreach (double days in new[] { 0, 0.5, 1, 29, 29.999, 30, 30.0001, 31, 365, 3660, 3661, 100_000 })
        {
            LeadActivity[] one = [Act(ActivityType.WebVisit, days)];
            Assert.Equal(scalar.Evaluate(lead, one, Now), fast.Evaluate(lead, one, Now));
        }

        // An activity exactly at the instant counts in full, one tick later never counts.
        Assert.Equal(11m, fast.Score(lead, [new LeadActivity(ActivityType.WebVisit, Now)], Now).Total);
        Assert.Equal(0m, fast.Score(lead, [new LeadActivity(ActivityType.WebVisit, Now.AddTicks(1))], Now).Total);
    }

    [Fact]
    public void Undefined_activity_type_is_reported_with_the_lead_id()
    {
        var model = Compile("""
            "engagement": [ {"id": "v", "activity": "webVisit", "points": 1} ]
            """);
        var ex = Assert.Throws<ArgumentException>(() => model.Evaluate(Lead("lead-77"), [new LeadActivity((ActivityType)99, Now)], Now));
        Assert.Contains("lead-77", ex.Message, StringComparison.Ordinal);
        Assert.Contains("99", ex.Message, StringComparison.Ordinal);
        Assert.Equal("activities", ex.ParamName);
    }
}
