using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// The engagement workload: leads with timestamped activities over the last 180 days and a model of 15 engagement and
/// negative rules with windows, caps and half-life decay. Deterministic from a seed.
/// </summary>
public static class EngagementWorkload
{
    /// <summary>The instant every lead is scored at.</summary>
    public static readonly DateTimeOffset AsOf = new(2026, 6, 30, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] Urls =
    [
        "https://example.com/", "https://example.com/pricing", "https://example.com/docs/api", "https://example.com/blog/alignment",
        "https://example.com/pricing/enterprise", "https://example.com/customers", "https://example.com/docs/start", "https://example.com/about",
    ];

    // Activity types weighted towards what marketing automation records most often.
    private static readonly ActivityType[] TypeWheel =
    [
        ActivityType.EmailSent, ActivityType.EmailSent, ActivityType.EmailSent, ActivityType.EmailOpened, ActivityType.EmailOpened,
        ActivityType.EmailClicked, ActivityType.WebVisit, ActivityType.WebVisit, ActivityType.PageView, ActivityType.PageView,
        ActivityType.PageView, ActivityType.PageView, ActivityType.FormSubmitted, ActivityType.ContentDownloaded, ActivityType.WebinarInvited,
        ActivityType.WebinarRegistered, ActivityType.WebinarAttended, ActivityType.EventContact, ActivityType.DemoRequested,
        ActivityType.SalesMeeting, ActivityType.Unsubscribed, ActivityType.Bounced, ActivityType.SalesCall,
    ];

    /// <summary>The 15-rule engagement model (JSON).</summary>
    public const string ModelJson = """
        {
          "id": "engagement-15", "version": "1.0.0",
          "categories": [ {"id": "marketing", "cap": 150}, {"id": "sales"} ],
          "thresholds": { "mql": {"score": 60, "minGrade": "F"}, "hot": {"score": 100, "minGrade": "F"} },
          "engagement": [
            {"id": "opens", "activity": "emailOpened", "points": 1, "windowDays": 90, "cap": 10, "decay": {"halfLifeDays": 30}, "category": "marketing"},
            {"id": "clicks", "activity": "emailClicked", "points": 3, "windowDays": 90, "cap": 15, "decay": {"halfLifeDays": 30}, "category": "marketing"},
            {"id": "visits", "activity": "webVisit", "points": 2, "windowDays": 60, "cap": 20, "decay": {"halfLifeDays": 14}, "category": "marketing"},
            {"id": "pricing", "activity": "pageView", "urlContains": "/pricing", "points": 10, "windowDays": 30, "cap": 30, "decay": {"halfLifeDays": 7}, "category": "marketing"},
            {"id": "docs", "activity": "pageView", "urlContains": "/docs", "points": 2, "windowDays": 60, "cap": 10, "decay": {"halfLifeDays": 21}, "category": "marketing"},
            {"id": "pages", "activity": "pageView", "points": 0.5, "windowDays": 30, "cap": 10, "decay": {"halfLifeDays": 14}, "category": "marketing"},
            {"id": "forms", "activity": "formSubmitted", "points": 15, "windowDays": 180, "cap": 30, "decay": {"halfLifeDays": 60}, "category": "marketing"},
            {"id": "downloads", "activity": "contentDownloaded", "points": 8, "windowDays": 120, "cap": 24, "decay": {"halfLifeDays": 45}, "category": "marketing"},
            {"id": "registered", "activity": "webinarRegistered", "points": 5, "windowDays": 90, "cap": 10, "decay": {"halfLifeDays": 30}, "category": "marketing"},
            {"id": "attended", "activity": "webinarAttended", "points": 15, "windowDays": 120, "cap": 30, "decay": {"halfLifeDays": 60}, "category": "marketing"},
            {"id": "events", "activity": "eventContact", "points": 10, "windowDays": 180, "cap": 20, "decay": {"halfLifeDays": 90}, "category": "marketing"},
            {"id": "demo", "activity": "demoRequested", "points": 40, "windowDays": 60, "cap": 40, "decay": {"halfLifeDays": 30}, "category": "sales"},
            {"id": "meetings", "activity": "salesMeeting", "points": 5, "windowDays": 90, "cap": 10, "decay": {"halfLifeDays": 30}, "category": "sales"}
          ],
          "negative": [
            {"id": "unsubscribed", "activity": "unsubscribed", "points": -50, "cap": 50},
            {"id": "bounced", "activity": "bounced", "points": -10, "windowDays": 180, "cap": 30}
          ]
        }
        """;

    /// <summary>Compiles <see cref="ModelJson"/>.</summary>
    /// <returns>The model.</returns>
    public static ScoringModel Compile() => ScoringModel.Load(ModelJson, new ScoringModelOptions { Document = "engagement-15" });

    /// <summary>Creates leads and their activities (flat, with offsets).</summary>
    /// <param name="leadCount">The number of leads.</param>
    /// <param name="activitiesPerLead">Activities per lead.</param>
    /// <param name="seed">The seed.</param>
    /// <returns>The leads, every activity lead after lead, and the offsets (one more than leads).</returns>
    public static (Lead[] Leads, LeadActivity[] Activities, int[] Offsets) Create(int leadCount, int activitiesPerLead, int seed = 7)
    {
        var random = new Random(seed);
        var leads = new Lead[leadCount];
        var activities = new LeadActivity[leadCount * activitiesPerLead];
        var offsets = new int[leadCount + 1];
        long span = TimeSpan.FromDays(180).Ticks;
        for (int i = 0; i < leadCount; i++)
        {
            leads[i] = new Lead(new LeadId("lead" + i)) { CreatedAt = AsOf.AddDays(-365) };
            offsets[i] = i * activitiesPerLead;
            for (int j = 0; j < activitiesPerLead; j++)
            {
                var type = TypeWheel[random.Next(TypeWheel.Length)];
                // A few activities lie in the future of the scoring instant: they must never count.
                long ago = (long)(random.NextDouble() * span) - TimeSpan.TicksPerHour;
                activities[(i * activitiesPerLead) + j] = new LeadActivity(type, AsOf.AddTicks(-ago))
                {
                    Url = type is ActivityType.PageView or ActivityType.WebVisit or ActivityType.EmailClicked ? Urls[random.Next(Urls.Length)] : null,
                };
            }
        }

        offsets[leadCount] = activities.Length;
        return (leads, activities, offsets);
    }
}
