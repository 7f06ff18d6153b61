using System.Globalization;
using System.Text;
using Alignment.Activities;
using Alignment.Leads;
using static Alignment.Scoring.Tests.TestData;

namespace Alignment.Scoring.Tests;

/// <summary>
/// <see cref="ScoringModel.NextCrossing"/> against the engine itself: on randomized models (half-life and stepped decay,
/// windows, rule and category caps, negative and inactivity rules, activities after the start) the computed instant is the
/// first instant whose state differs, found independently by scoring every instant at which an age in whole days can change
/// and by a day-by-day scan; and the edge cases.
/// </summary>
public class NextCrossingTests
{
    private const long Day = TimeSpan.TicksPerDay;

    private static readonly ActivityType[] Types =
        [ActivityType.WebVisit, ActivityType.PageView, ActivityType.EmailOpened, ActivityType.FormSubmitted, ActivityType.Bounced, ActivityType.EmailSent];

    private static readonly string?[] Urls = ["https://x.com/pricing", "https://x.com/docs", null];

    [Fact]
    public void Randomized_models_cross_exactly_where_the_engine_changes_state()
    {
        var random = new Random(20261203);
        int crossings = 0, downward = 0, upward = 0;
        for (int n = 0; n < 400; n++)
        {
            string json = RandomModel(random);
            var model = ScoringModel.Load(json, new ScoringModelOptions { Schema = Schema });
            var from = Now.AddMinutes(random.Next(0, 24 * 60));
            var lead = Lead("L" + n, industry: random.Next(3) == 0 ? "Retail" : "Software", created: random.Next(3) == 0 ? null : from.AddDays(-random.Next(0, 90)));
            var activities = RandomActivities(random, from);
            DateTimeOffset? until = random.Next(4) == 0 ? from.AddDays(random.Next(0, 60)).AddMinutes(random.Next(0, 1440)) : null;

            var crossing = model.NextCrossing(lead, activities, from, until);
            var expected = FirstChangeByEveryAgeInstant(model, lead, activities, from, until ?? from.AddDays(1500));
            Assert.True(expected == crossing?.At, $"case {n}: expected {expected:O}, computed {crossing?.At:O}\n{json}\nfrom {from:O} until {until:O} created {lead.CreatedAt:O}\n{string.Join("\n", activities.Select(a => $"{a.Type} {a.Timestamp:O} {a.Url}"))}");
            if (crossing is not { } c)
            {
                continue;
            }

            crossings++;
            var start = model.Evaluate(lead, activities, from).State;
            Assert.Equal(start, c.Crossing.From);
            Assert.Equal(start, model.Evaluate(lead, activities, c.At.AddTicks(-1)).State);
            Assert.Equal(model.Evaluate(lead, activities, c.At), c.Score);
            Assert.NotEqual(start, c.Crossing.To);
            Assert.Equal(c.Score.State, c.Crossing.To);
            Assert.Equal(TimeSpan.Zero, c.At.Offset);
            downward += c.Crossing.IsDown ? 1 : 0;
            upward += c.Crossing.IsUp ? 1 : 0;

            // The brute-force day-by-day scan sees nothing earlier, and the state holds through the last hour before.
            for (var t = from; t < c.At; t = t.AddDays(1))
            {
                Assert.Equal(start, model.Evaluate(lead, activities, t).State);
            }

            for (var t = c.At.AddHours(-1); t < c.At; t = t.AddMinutes(1))
            {
                Assert.True(t <= from || model.Evaluate(lead, activities, t).State == start, $"case {n}: state changed at {t:O} before {c.At:O}");
            }
        }

        // The random models must exercise the search: many crossings, both directions.
        Assert.True(crossings > 100, $"crossings: {crossings} of 400 (down {downward}, up {upward})");
        Assert.True(downward > 70, $"downward crossings: {downward}");
        Assert.True(upward > 15, $"upward crossings: {upward}");
    }

    [Fact]
    public void Large_leads_and_the_matcher_loop_give_the_same_instants()
    {
        // More than 256 activity-rule matches: the buffers come from the array pool. The scalar model scores without the row table.
        const string json = """
            {
              "id": "large", "version": "1.0.0",
              "thresholds": { "mql": {"score": 60}, "hot": {"score": 100} },
              "engagement": [
                {"id": "visits", "activity": "webVisit", "points": 2, "windowDays": 20, "cap": 200, "decay": {"halfLifeDays": 7}},
                {"id": "pages", "activity": "pageView", "points": 1.5, "decay": {"steps": [{"afterDays": 5, "factor": 0.5}, {"afterDays": 12, "factor": 0.75}]}},
                {"id": "pricing", "activity": "pageView", "urlContains": "/pricing", "points": 3, "windowDays": 9}
              ],
              "negative": [ {"id": "bounced", "activity": "bounced", "points": -4, "windowDays": 6}, {"id": "inactive", "inactiveDays": 3, "points": -20} ]
            }
            """;
        var fast = ScoringModel.Load(json);
        var scalar = ScoringModel.Load(json, new ScoringModelOptions { ScalarActivities = true });
        var random = new Random(16);
        int crossings = 0;
        for (int n = 0; n < 6; n++)
        {
            var activities = new LeadActivity[300];
            for (int i = 0; i < activities.Length; i++)
            {
                activities[i] = new LeadActivity(Types[random.Next(Types.Length)], Now - TimeSpan.FromDays((random.NextDouble() * 25) - 2)) { Url = Urls[random.Next(Urls.Length)] };
            }

            var lead = Lead("big" + n, created: Now.AddDays(-60));
            var until = Now.AddDays(20);
            var expected = FirstChangeByEveryAgeInstant(fast, lead, activities, Now, until);
            Assert.Equal(expected, fast.NextCrossing(lead, activities, Now, until)?.At);
            Assert.Equal(expected, scalar.NextCrossing(lead, activities, Now, until)?.At);
            crossings += expected is null ? 0 : 1;
        }

        Assert.True(crossings >= 3, $"crossings: {crossings}");
    }

    [Fact]
    public void Without_decay_or_window_the_score_never_crosses()
    {
        var model = Load("""
            "engagement": [ {"id": "visits", "activity": "webVisit", "points": 30} ]
            """);
        LeadActivity[] acts = [Act(ActivityType.WebVisit, 3), Act(ActivityType.WebVisit, 400)];
        Assert.Equal(QualificationState.MarketingQualified, model.Evaluate(Lead(), acts, Now).State);
        Assert.Null(model.NextCrossing(Lead(), acts, Now));

        // From before the visits, their arrival is the only change: 0, then 30 (still not qualified), then 60.
        var c = model.NextCrossing(Lead(), acts, Now.AddYears(-2))!.Value;
        Assert.Equal(acts[0].Timestamp, c.At);
        Assert.True(c.Crossing.IsUp);
    }

    [Fact]
    public void Without_decay_a_window_end_is_the_crossing()
    {
        var model = Load("""
            "engagement": [ {"id": "visits", "activity": "webVisit", "points": 30, "windowDays": 10},
                            {"id": "forms", "activity": "formSubmitted", "points": 30} ]
            """);
        var first = Now.AddHours(-50.5);
        LeadActivity[] acts = [new(ActivityType.WebVisit, first), Act(ActivityType.WebVisit, 1), Act(ActivityType.FormSubmitted, 100)];
        var c = model.NextCrossing(Lead(), acts, Now);
        Assert.NotNull(c);
        Assert.Equal(first.AddDays(10), c.Value.At); // the older visit leaves the window: 60 -> 30
        Assert.Equal(new ThresholdCrossing(QualificationState.Hot, QualificationState.MarketingQualified), c.Value.Crossing);
        Assert.True(c.Value.Crossing.IsDown);
        Assert.Equal(60m, c.Value.Score.Total);
    }

    [Fact]
    public void A_score_exactly_at_the_threshold_crosses_when_it_first_decays()
    {
        var model = Load("""
            "engagement": [ {"id": "forms", "activity": "formSubmitted", "points": 50, "decay": {"halfLifeDays": 14}} ]
            """);
        LeadActivity[] acts = [new(ActivityType.FormSubmitted, Now)];
        Assert.Equal(50m, model.Evaluate(Lead(), acts, Now).Total);
        var c = model.NextCrossing(Lead(), acts, Now)!.Value;
        Assert.Equal(Now.AddDays(1), c.At);
        Assert.Equal(QualificationState.NotQualified, c.Crossing.To);
        Assert.Equal(47.58m, c.Score.Total);
    }

    [Fact]
    public void Already_below_the_threshold_with_only_decay_never_crosses()
    {
        var model = Load("""
            "engagement": [ {"id": "forms", "activity": "formSubmitted", "points": 40, "decay": {"halfLifeDays": 14}} ]
            """);
        LeadActivity[] acts = [Act(ActivityType.FormSubmitted, 2)];
        Assert.Equal(QualificationState.NotQualified, model.Evaluate(Lead(), acts, Now).State);
        Assert.Null(model.NextCrossing(Lead(), acts, Now));
    }

    [Fact]
    public void A_lead_without_activities_crosses_only_through_inactivity()
    {
        var model = Load("""
            "fit": [ {"id": "software", "points": 60, "when": {"field": "company.industry", "equals": "Software"}} ],
            "negative": [ {"id": "inactive", "inactiveDays": 30, "points": -15} ]
            """);
        var created = Now.AddDays(-10).AddHours(-3);
        var c = model.NextCrossing(Lead(created: created), [], Now);
        Assert.Equal(created.AddDays(31), c!.Value.At); // inactive for more than 30 whole days
        Assert.Equal(45m, c.Value.Score.Total);

        var noInactivity = Load("""
            "fit": [ {"id": "software", "points": 60, "when": {"field": "company.industry", "equals": "Software"}} ],
            "engagement": [ {"id": "visits", "activity": "webVisit", "points": 30, "windowDays": 10} ]
            """);
        Assert.Null(noInactivity.NextCrossing(Lead(created: created), [], Now));
        Assert.Null(noInactivity.NextCrossing(Lead(), ReadOnlySpan<LeadActivity>.Empty, Now));
    }

    [Fact]
    public void Until_bounds_the_search_inclusively()
    {
        var model = Load("""
            "engagement": [ {"id": "visits", "activity": "webVisit", "points": 60, "windowDays": 10} ]
            """);
        LeadActivity[] acts = [Act(ActivityType.WebVisit, 2.25)];
        var at = model.NextCrossing(Lead(), acts, Now)!.Value.At;
        Assert.Equal(acts[0].Timestamp.AddDays(10), at);
        Assert.Null(model.NextCrossing(Lead(), acts, Now, at.AddTicks(-1)));
        Assert.Equal(at, model.NextCrossing(Lead(), acts, Now, at)!.Value.At);
        Assert.Null(model.NextCrossing(Lead(), acts, Now, Now));
    }

    [Fact]
    public void Upward_crossings_come_only_from_negative_points_fading_or_activities_dated_later()
    {
        // Time alone lowers positive points; it raises the score only when negative points leave their window (or decay)
        // or when an activity dated after the start comes into force. Both are reported as IsUp.
        var model = Load("""
            "engagement": [ {"id": "visits", "activity": "webVisit", "points": 55} ],
            "negative": [ {"id": "bounced", "activity": "bounced", "points": -10, "windowDays": 30} ]
            """);
        LeadActivity[] acts = [Act(ActivityType.WebVisit, 40), Act(ActivityType.Bounced, 20)];
        var c = model.NextCrossing(Lead(), acts, Now)!.Value;
        Assert.True(c.Crossing.IsUp);
        Assert.Equal(acts[1].Timestamp.AddDays(30), c.At);

        LeadActivity[] later = [Act(ActivityType.WebVisit, -3)];
        var d = model.NextCrossing(Lead(), later, Now)!.Value;
        Assert.Equal(later[0].Timestamp, d.At);
        Assert.Equal(QualificationState.MarketingQualified, d.Crossing.To);
    }

    [Fact]
    public void A_grade_below_the_MQL_grade_never_crosses()
    {
        var model = Compile("""
            "engagement": [ {"id": "visits", "activity": "webVisit", "points": 60, "windowDays": 10} ]
            """); // MQL needs grade C; a lead without fit rules has D
        Assert.Null(model.NextCrossing(Lead(), [Act(ActivityType.WebVisit, 1)], Now));
    }

    [Fact]
    public void Invalid_arguments_are_reported()
    {
        var model = Load("""
            "engagement": [ {"id": "visits", "activity": "webVisit", "points": 60, "windowDays": 10} ]
            """);
        Assert.Throws<ArgumentNullException>("lead", () => model.NextCrossing(null!, [], Now));
        var range = Assert.Throws<ArgumentOutOfRangeException>("until", () => model.NextCrossing(Lead(), [], Now, Now.AddTicks(-1)));
        Assert.Contains("at or after its start", range.Message, StringComparison.Ordinal);
        var type = Assert.Throws<ArgumentException>("activities", () => model.NextCrossing(Lead("lead-9"), [new LeadActivity((ActivityType)99, Now)], Now));
        Assert.Contains("lead-9", type.Message, StringComparison.Ordinal);

        var plugin = Compile("""
            "plugins": [ {"id": "p", "rule": "constant"} ]
            """, "", new ConstantRule());
        var ex = Assert.Throws<NotSupportedException>(() => plugin.NextCrossing(Lead(), [], Now));
        Assert.Contains("plugin", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocates_nothing_for_a_small_lead()
    {
        var model = Load("""
            "engagement": [ {"id": "visits", "activity": "webVisit", "points": 30, "windowDays": 60, "cap": 50, "decay": {"halfLifeDays": 14}},
                            {"id": "pricing", "activity": "pageView", "urlContains": "/pricing", "points": 10, "decay": {"steps": [{"afterDays": 7, "factor": 0.5}]}} ]
            """);
        LeadActivity[] acts = [Act(ActivityType.WebVisit, 1), Act(ActivityType.WebVisit, 2.5), Act(ActivityType.PageView, 3, "https://x.com/pricing")];
        var lead = Lead();
        Assert.NotNull(model.NextCrossing(lead, acts, Now));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            model.NextCrossing(lead, acts, Now);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>A model with MQL at 50 and hot at 80, grades ignored.</summary>
    private static ScoringModel Load(string sections) => ScoringModel.Load($$"""
        {
          "id": "crossing", "version": "1.0.0",
          "thresholds": { "mql": {"score": 50}, "hot": {"score": 80} },
          {{sections}}
        }
        """);

    /// <summary>
    /// The oracle: every instant after <paramref name="from"/> at which some activity's (or the creation's) age in whole days
    /// changes, scored by the engine in order; the first whose state differs from the state at <paramref name="from"/>.
    /// </summary>
    private static DateTimeOffset? FirstChangeByEveryAgeInstant(ScoringModel model, Lead lead, LeadActivity[] activities, DateTimeOffset from, DateTimeOffset until)
    {
        var instants = new SortedSet<long>();
        var origins = activities.Select(a => a.Timestamp.UtcTicks).ToList();
        if (lead.CreatedAt is { } created)
        {
            origins.Add(created.UtcTicks);
        }

        foreach (long origin in origins)
        {
            long k = origin > from.UtcTicks ? 0 : ((from.UtcTicks - origin) / Day) + 1;
            for (long t = origin + (k * Day); t <= until.UtcTicks; t += Day)
            {
                instants.Add(t);
            }
        }

        var start = model.Evaluate(lead, activities, from).State;
        foreach (long t in instants)
        {
            var at = new DateTimeOffset(t, TimeSpan.Zero);
            if (at > from && model.Evaluate(lead, activities, at).State != start)
            {
                return at;
            }
        }

        return null;
    }

    private static string RandomModel(Random random)
    {
        string P(double max, double min = 0.01) => Math.Round(min + (random.NextDouble() * (max - min)), 2).ToString(CultureInfo.InvariantCulture);
        var engagement = new List<string>();
        var negative = new List<string>();
        int rules = random.Next(1, 6);
        for (int i = 0; i < rules; i++)
        {
            var type = Types[random.Next(Types.Length)];
            var sb = new StringBuilder();
            bool isNegative = random.Next(6) == 0;
            sb.Append(CultureInfo.InvariantCulture, $"{{\"id\": \"r{i}\", \"activity\": \"{char.ToLowerInvariant(type.ToString()[0])}{type.ToString()[1..]}\", \"points\": {(isNegative ? "-" : "")}{P(40)}");
            if (random.Next(3) == 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $", \"windowDays\": {random.Next(1, 120)}");
            }

            if (random.Next(3) == 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $", \"cap\": {P(80, 1)}");
            }

            if (type == ActivityType.PageView && random.Next(2) == 0)
            {
                sb.Append(", \"urlContains\": \"/pricing\"");
            }

            switch (random.Next(4))
            {
                case 0:
                    break;
                case 1:
                case 2:
                    sb.Append(CultureInfo.InvariantCulture, $", \"decay\": {{\"halfLifeDays\": {P(60, 0.5)}}}");
                    break;
                default:
                    // Steps, sometimes with a factor that rises again.
                    int day = 0;
                    var steps = Enumerable.Range(0, random.Next(1, 4)).Select(_ => $"{{\"afterDays\": {day += random.Next(1, 40)}, \"factor\": {P(1, 0)}}}");
                    sb.Append(CultureInfo.InvariantCulture, $", \"decay\": {{\"steps\": [{string.Join(", ", steps)}]}}");
                    break;
            }

            if (!isNegative && random.Next(2) == 0)
            {
                sb.Append(", \"category\": \"marketing\"");
            }

            sb.Append('}');
            (isNegative ? negative : engagement).Add(sb.ToString());
        }

        if (random.Next(3) == 0)
        {
            negative.Add(string.Create(CultureInfo.InvariantCulture, $"{{\"id\": \"inactive\", \"inactiveDays\": {random.Next(1, 40)}, \"points\": -{P(30)}}}"));
        }

        double mql = Math.Round(3 + (random.NextDouble() * 35), 2);
        double hot = Math.Round(mql + 1 + (random.NextDouble() * 40), 2);
        string fit = random.Next(2) == 0 ? $"\"fit\": [ {{\"id\": \"software\", \"points\": {P(30)}, \"when\": {{\"field\": \"company.industry\", \"equals\": \"Software\"}}}} ]," : "";
        return string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "id": "random", "version": "1.0.0",
              "categories": [ {"id": "marketing"{{(random.Next(2) == 0 ? $", \"cap\": {P(60, 5)}" : "")}}} ],
              "thresholds": { "mql": {"score": {{mql}}}, "hot": {"score": {{hot}}} },
              {{fit}}
              "engagement": [ {{string.Join(",\n", engagement)}} ],
              "negative": [ {{string.Join(",\n", negative)}} ]
            }
            """);
    }

    private static LeadActivity[] RandomActivities(Random random, DateTimeOffset from)
    {
        var activities = new LeadActivity[random.Next(0, 20)];
        for (int i = 0; i < activities.Length; i++)
        {
            // Mostly recent, some older than most windows, some after the start.
            double daysAgo = random.Next(8) switch
            {
                0 => -random.NextDouble() * 10,
                1 => random.NextDouble() * 200,
                _ => random.NextDouble() * 30,
            };
            activities[i] = new LeadActivity(Types[random.Next(Types.Length)], from - TimeSpan.FromDays(daysAgo)) { Url = Urls[random.Next(Urls.Length)] };
        }

        return activities;
    }

    private sealed class ConstantRule : IScoringRule
    {
        public string Name => "constant";

        public double Evaluate(Lead lead, ReadOnlySpan<LeadActivity> activities, in ScoringContext context) => 1;
    }
}
