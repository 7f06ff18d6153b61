using System.Collections.Immutable;
using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring.Compilation;
using Alignment.Scoring.Definitions;
using static Alignment.Scoring.Tests.TestData;

namespace Alignment.Scoring.Tests;

/// <summary>
/// Compiling costs about linear in the model's size, whatever its numbers: huge sets of values, many rules, and decay steps or
/// windows of millions of days compile quickly, into the exact behaviour the definition states.
/// </summary>
public class CompileScaleTests
{
    private const int SetSize = 100_000;

    /// <summary>Points per activity in the decay and window tests.</summary>
    private const decimal Points = 10m;

    public static TheoryData<bool> ScalarOrTable => new() { false, true };

    [Theory]
    [InlineData(TextComparison.IgnoreCase)]
    [InlineData(TextComparison.Ordinal)]
    public async Task A_set_of_100000_values_and_thousands_of_rules_compile_promptly_and_match_exactly(TextComparison comparison)
    {
        // One `in` rule over 100,000 distinct industries, and 5,000 `equals` rules on the title (more than one emitted kernel).
        var industries = Enumerable.Range(0, SetSize).Select(i => ConditionValue.FromText($"Industry-{i}")).ToImmutableArray();
        var rules = new List<ScoringRuleDefinition>
        {
            new ProfileRuleDefinition("industry", ScoreComponent.Fit, 10, new FieldCondition("company.industry", ConditionOperator.In, industries)),
        };
        for (int i = 0; i < 5_000; i++)
        {
            rules.Add(new ProfileRuleDefinition($"title-{i}", ScoreComponent.Fit, 1 + (i % 7), new FieldCondition("person.jobTitle", ConditionOperator.Equals, [ConditionValue.FromText($"Title-{i}")])));
        }

        var definition = new ScoringModelDefinition("scale", "1.0.0") { TextComparison = comparison, Rules = [.. rules] };

        // Bounded failure instead of a stalled test run: the quadratic interning took about 14 s for this set (seconds more
        // on a busy machine); linear compilation takes well under a second. The bound is far from either.
        var compiling = Task.Run(() => ScoringModel.Compile(definition));
        Assert.Same(compiling, await Task.WhenAny(compiling, Task.Delay(TimeSpan.FromSeconds(10))));
        var model = await compiling;

        bool ignoreCase = comparison == TextComparison.IgnoreCase;
        (Lead Lead, decimal Expected)[] cases =
        [
            (Lead(industry: "Industry-0", title: "Title-0"), 10 + 1),
            (Lead(industry: "Industry-99999", title: "Title-4999"), 10 + 1 + (4999 % 7)),
            (Lead(industry: "INDUSTRY-54321", title: "TITLE-2500"), ignoreCase ? 10 + 1 + (2500 % 7) : 0),
            (Lead(industry: "Industry-100000", title: "Title-5000"), 0),
            (Lead(industry: "Industry-1", title: null), 10),
            (Lead(industry: null, title: "Title-6"), 1 + 6),
        ];

        var batch = model.Encode([.. cases.Select(c => c.Lead)]);
        var encoded = new LeadScore[cases.Length];
        model.ScoreEncoded(batch, LeadActivities.None, Now, encoded);
        for (int i = 0; i < cases.Length; i++)
        {
            var card = model.Score(cases[i].Lead, [], Now);
            Assert.Equal(cases[i].Expected, card.Fit);
            Assert.Equal(cases[i].Expected, encoded[i].Fit);
            Assert.Equal(card.Explanation.Sum(e => e.Points), card.Fit);
        }
    }

    [Fact]
    public void A_step_at_int_MaxValue_days_compiles_into_a_small_plan_and_never_triggers()
    {
        var rule = new ActivityRuleDefinition("opens", ScoreComponent.Engagement, Points, ActivityType.EmailOpened)
        {
            Decay = new DecayDefinition.Stepped([new DecayStep(5, 0.5), new DecayStep(20_000_000, 0.25), new DecayStep(int.MaxValue, 0)]),
        };

        long before = GC.GetAllocatedBytesForCurrentThread();
        var plan = ActivityRulePlan.Create(0, 0, rule, 0); // was a table of one long per day up to the last step: OutOfMemoryException
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 1 << 20, $"compiling one decay rule allocated {allocated:N0} bytes");
        Assert.Equal(1000, plan.Contribution(0));
        Assert.Equal(1000, plan.Contribution(4));
        Assert.Equal(500, plan.Contribution(5));
        Assert.Equal(500, plan.Contribution(3660));
        Assert.Equal(500, plan.Contribution(19_999_999));
        Assert.Equal(250, plan.Contribution(20_000_000));
        Assert.Equal(250, plan.Contribution(int.MaxValue - 1L));
        Assert.Equal(0, plan.Contribution(int.MaxValue));
        Assert.Equal(500, plan.Contribution(long.MaxValue / TimeSpan.TicksPerDay));
        Assert.Equal(0, plan.Contribution(long.MaxValue));
        Assert.Equal(-1, plan.StableFrom(ActivityRowTable.MaxAge));
    }

    [Fact]
    public void A_step_at_20_million_days_allocates_kilobytes_not_a_table_per_day()
    {
        var rule = new ActivityRuleDefinition("opens", ScoreComponent.Engagement, Points, ActivityType.EmailOpened)
        {
            Decay = new DecayDefinition.Stepped([new DecayStep(20_000_000, 0.5)]),
        };

        long before = GC.GetAllocatedBytesForCurrentThread();
        var plan = ActivityRulePlan.Create(0, 0, rule, 0); // was 160 MB: one long per day up to the step
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 1 << 20, $"compiling one decay rule allocated {allocated:N0} bytes");
        Assert.Equal(1000, plan.Contribution(19_999_999));
        Assert.Equal(500, plan.Contribution(20_000_000));
    }

    // Models reach the compiler through the validator, which bounds days to 36,500 (the plan-level tests above feed it larger values
    // directly): the largest allowed windows and steps compile and score exactly at their edges, and far beyond them.
    [Theory]
    [MemberData(nameof(ScalarOrTable))]
    public void Models_with_the_largest_allowed_steps_score_every_age_by_the_steps(bool scalar)
    {
        var rules = ImmutableArray.Create<ScoringRuleDefinition>(
            new ActivityRuleDefinition("opens", ScoreComponent.Engagement, Points, ActivityType.EmailOpened)
            {
                Decay = new DecayDefinition.Stepped([new DecayStep(5, 0.5), new DecayStep(36_500, 0)]),
            },
            new ActivityRuleDefinition("visits", ScoreComponent.Engagement, Points, ActivityType.WebVisit)
            {
                UrlContains = "/pricing",
                Decay = new DecayDefinition.Stepped([new DecayStep(36_500, 0.25)]),
            });
        var model = Compile(rules, scalar);

        Assert.Equal(10m, Score(model, Act(ActivityType.EmailOpened, 0)));
        Assert.Equal(5m, Score(model, Act(ActivityType.EmailOpened, 5)));
        Assert.Equal(5m, Score(model, Act(ActivityType.EmailOpened, 36_499)));
        Assert.Equal(0m, Score(model, Act(ActivityType.EmailOpened, 36_500)));
        Assert.Equal(10m, Score(model, Act(ActivityType.WebVisit, 36_499, url: "https://x.com/pricing")));
        Assert.Equal(2.5m, Score(model, Act(ActivityType.WebVisit, 700_000, url: "https://x.com/pricing")));
    }

    [Theory]
    [MemberData(nameof(ScalarOrTable))]
    public void The_largest_allowed_window_counts_to_its_last_day_exactly(bool scalar)
    {
        var rules = ImmutableArray.Create<ScoringRuleDefinition>(
            new ActivityRuleDefinition("opens", ScoreComponent.Engagement, Points, ActivityType.EmailOpened) { WindowDays = 36_500 },
            new ActivityRuleDefinition("downloads", ScoreComponent.Engagement, Points, ActivityType.ContentDownloaded)
            {
                WindowDays = 36_500,
                Decay = new DecayDefinition.HalfLife(36_500),
            });
        var model = Compile(rules, scalar);

        Assert.Equal(10m, Score(model, Act(ActivityType.EmailOpened, 0)));
        Assert.Equal(10m, Score(model, Act(ActivityType.EmailOpened, 36_499)));
        Assert.Equal(0m, Score(model, Act(ActivityType.EmailOpened, 36_501)));
        Assert.Equal(5.00m, Score(model, Act(ActivityType.ContentDownloaded, 36_499))); // 10 x 2^(-36,499/36,500), in hundredths
        Assert.Equal(0m, Score(model, Act(ActivityType.EmailOpened, -1))); // the future still never counts
    }

    [Theory]
    [InlineData(1, 1 * TimeSpan.TicksPerDay)]
    [InlineData(10_675_198, 10_675_198 * TimeSpan.TicksPerDay)]
    [InlineData(10_675_199, long.MaxValue)]
    [InlineData(10_675_200, long.MaxValue)]
    [InlineData(int.MaxValue, long.MaxValue)]
    public void Window_ticks_never_overflow(int windowDays, long expected)
    {
        var rule = new ActivityRuleDefinition("opens", ScoreComponent.Engagement, Points, ActivityType.EmailOpened) { WindowDays = windowDays };
        Assert.Equal(expected, ActivityRulePlan.Create(0, 0, rule, 0).WindowTicks);
    }

    private static ScoringModel Compile(ImmutableArray<ScoringRuleDefinition> rules, bool scalar) =>
        ScoringModel.Compile(new ScoringModelDefinition("decay", "1.0.0") { Rules = rules }, new ScoringModelOptions { ScalarActivities = scalar });

    /// <summary>The engagement points of one activity, through the explained path and the batch path (which must agree).</summary>
    private static decimal Score(ScoringModel model, LeadActivity activity)
    {
        var lead = Lead();
        decimal explained = model.Score(lead, [activity], Now).Engagement;
        var results = new LeadScore[1];
        model.ScoreBatch([lead], new LeadActivities([activity], [0, 1]), Now, results);
        Assert.Equal(explained, results[0].Engagement);
        return explained;
    }
}
