using Alignment.Models;
using System.Collections.Immutable;
using Alignment.Policies.Handoff;
using Alignment.Policies.Nurture;
using Alignment.Scoring;
using Alignment.Scoring.Definitions;
using Alignment.Scoring.Governance;
using Alignment.Segmentation;
using Alignment.Segmentation.Collateral;
using Alignment.Segmentation.Rules;

namespace Alignment.Cli.Demo;

/// <summary>
/// The sample company's shared contract, loaded through the real engines: the scoring standard (a release signed by marketing and
/// sales), the segmentation model with playbooks, the collateral library (some items expired, one pending, one rejected), the
/// routing policy with its roster, and the nurture policy.
/// </summary>
internal static partial class DemoModels
{
    /// <summary>The fictional company the sample data is about.</summary>
    public const string Company = "Brightwave Software (fictional)";

    /// <summary>The webinar campaign whose funnel the summary reports.</summary>
    public const string WebinarCampaign = "webinar-2025-06-forecasting";

    /// <summary>The 8-person marketing team (id, role).</summary>
    public static ImmutableArray<(string Id, string Role)> Marketers { get; } =
    [
        ("mkt-riley", "VP marketing"),
        ("mkt-sam", "marketing operations"),
        ("mkt-quinn", "content marketing"),
        ("mkt-rowan", "events and trade shows"),
        ("mkt-sage", "demand generation"),
        ("mkt-tatum", "webinars"),
        ("mkt-uma", "product marketing"),
        ("mkt-val", "digital advertising"),
    ];

    /// <summary>The segments of the segmentation model, in precedence order with the default last.</summary>
    public static ImmutableArray<string> Segments { get; } = ["agency", "enterprise", "mid-market", "small-business"];

    /// <summary>Loads and compiles every model; throws when a bundled document is invalid (a bug in the tool).</summary>
    /// <param name="start">The first instant of the simulated year.</param>
    /// <returns>The compiled models.</returns>
    public static DemoModelSet Load(DateTimeOffset start)
    {
        var signingClock = new SimulationClock(start.AddDays(-16));
        var definition = ScoringModelJson.Parse(ScoringModelText, "brightwave-lead-standard.json");
        var release = new ScoringModelRelease(definition)
            .Approve("sam.ortiz@brightwave.example", ApprovalSide.Marketing, signingClock, "marketing ops: thresholds match the Q1 plan");
        signingClock.Set(start.AddDays(-15));
        release = release.Approve("morgan.lee@brightwave.example", ApprovalSide.Sales, signingClock, "sales VP: hot band and demo points agreed");
        release.EnsurePublishable();
        ScoringModel scoring = release.Compile(new ScoringModelOptions { Document = "brightwave-lead-standard.json" });

        SegmentationModel segmentation = SegmentationModel.Load(SegmentationModelText, new SegmentationLoadOptions { Document = "segments.json" });
        CompiledRoutingPolicy routing = CompiledRoutingPolicy.Load(RoutingPolicyText, RosterText);
        NurturePolicy nurture = NurturePolicy.Load(NurturePolicyText, new ModelLoadOptions { Document = "nurture-policy.json" });
        var (collateral, collateralClock, campaigns) = BuildCollateral(start);
        return new DemoModelSet(release, scoring, segmentation, routing, RoutingPolicyLoader.ParseRoster(RosterText), nurture, collateral, collateralClock, campaigns);
    }

    private static (CollateralLibrary Library, SimulationClock Clock, ImmutableDictionary<string, string> Campaigns) BuildCollateral(DateTimeOffset start)
    {
        var clock = new SimulationClock(start);
        var library = new CollateralLibrary(clock, expiryMonths: 12);
        var salesReviewer = new Reviewer("vp-sales-morgan", ReviewerRole.Sales);
        var campaigns = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        ImmutableArray<SegmentId> all = [.. Segments.Select(s => new SegmentId(s))];

        void Add(string id, string title, string kind, string owner, DateTimeOffset at, ImmutableArray<SegmentId> segments, string review = "approve", string? campaign = null)
        {
            clock.Set(at);
            library.Add(new CollateralDraft(id, title, owner, segments) { Kind = kind, Location = new Uri($"https://brightwave.example/collateral/{id}") });
            clock.Set(at.AddDays(2));
            switch (review)
            {
                case "approve":
                    library.Approve(id, salesReviewer);
                    break;
                case "reject":
                    library.Reject(id, salesReviewer, "prices and screenshots are out of date");
                    break;
            }

            if (campaign is not null)
            {
                campaigns[id] = campaign;
            }
        }

        static DateTimeOffset D(int y, int m, int d) => new(y, m, d, 9, 0, 0, TimeSpan.Zero);
        SegmentId S(string s) => new(s);

        Add("case-acme-roi-2023", "Acme: ROI in 90 days (2023 edition)", "case-study", "mkt-uma", D(2023, 10, 2), all);
        Add("deck-agency-pricing-2024", "Agency pricing deck 2024", "deck", "mkt-uma", D(2024, 2, 5), [S("agency")], review: "reject");
        Add("case-bluebird-demos", "Bluebird doubles its demos", "case-study", "mkt-quinn", D(2024, 3, 11), [S("small-business")]);
        Add("guide-smb-first-week", "Your first week with one pipeline", "guide", "mkt-quinn", D(2024, 6, 3), [S("small-business")]);
        Add("guide-forecasting-playbook", "The revenue forecasting playbook", "guide", "mkt-quinn", D(2024, 9, 16), [S("enterprise"), S("mid-market")]);
        Add("case-northlight-renewals", "Northlight wins renewals with revenue proof", "case-study", "mkt-uma", D(2024, 10, 7), [S("agency")]);
        Add("guide-pipeline-basics", "Pipeline basics: one view for sales and marketing", "guide", "mkt-quinn", D(2024, 11, 4), all);
        Add("case-initech-alignment", "Initech aligns sales and marketing", "case-study", "mkt-uma", D(2024, 12, 2), [S("mid-market"), S("small-business")]);
        Add("event-recap-highlights", "Meet us at events: 2024 highlights", "event-recap", "mkt-rowan", D(2024, 12, 9), all);
        Add("guide-agency-client-reporting", "Client revenue reporting for agencies", "guide", "mkt-quinn", D(2025, 1, 13), [S("agency")]);
        Add("onepager-security", "Security and data residency one-pager", "one-pager", "mkt-uma", D(2025, 1, 20), [S("enterprise")]);
        Add("case-globex-forecast", "Globex forecasts within 5 percent", "case-study", "mkt-uma", D(2025, 2, 3), [S("enterprise")]);
        Add("case-umbrella-draft", "Umbrella Corp rollout (draft)", "case-study", "mkt-uma", D(2025, 3, 3), [S("enterprise")], review: "none");
        Add("event-recap-saas-summit-london", "SaaS Summit London recap", "event-recap", "mkt-rowan", D(2025, 4, 10), all, campaign: "ts-saas-summit-london-2025");
        Add("event-recap-agency-growth", "Agency Growth Conference recap", "event-recap", "mkt-rowan", D(2025, 5, 21), all, campaign: "conf-agency-growth-2025");
        Add("webinar-recording-forecasting", "Recording: AI-assisted forecasting (June webinar)", "webinar-recording", "mkt-tatum", D(2025, 6, 10), all, campaign: WebinarCampaign);
        Add("event-recap-revops-world", "RevOps World Chicago recap", "event-recap", "mkt-rowan", D(2025, 9, 19), all, campaign: "ts-revops-world-chicago-2025");
        Add("event-recap-datadriven-sydney", "DataDriven Sydney recap", "event-recap", "mkt-rowan", D(2025, 10, 15), all, campaign: "conf-datadriven-sydney-2025");
        for (var month = new DateTimeOffset(2024, 12, 1, 9, 0, 0, TimeSpan.Zero); month < start.AddYears(1); month = month.AddMonths(1))
        {
            Add($"newsletter-{month:yyyy-MM}", $"Pipeline notes, {month:MMMM yyyy}", "newsletter", "mkt-sage", month, all);
        }

        clock.Set(start);
        return (library, clock, campaigns.ToImmutable());
    }
}
