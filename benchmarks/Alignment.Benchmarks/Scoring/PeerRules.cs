using System.Collections.Immutable;
using static Alignment.Benchmarks.Scoring.PeerComparison;
using static Alignment.Benchmarks.Scoring.PeerField;

namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// The 40 point rules of the scoring peer workload as data, and the reference evaluator every peer implementation
/// (hand-written, RulesEngine, NRules, Alignment) is tested against.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public static class PeerRules
{
    /// <summary>The 40 rules, in specification order.</summary>
    public static ImmutableArray<PeerRule> All { get; } =
    [
        new("IndustryTier1", 15, In(Industry, "Software", "Financial Services")),
        new("IndustryTier2", 8, In(Industry, "Healthcare", "Manufacturing", "Telecommunications")),
        new("IndustryLowFit", -5, In(Industry, "Government", "Education", "Non-Profit")),
        new("MidMarket", 10, new PeerCondition.Between(EmployeeCount, 200, 5000)),
        new("Enterprise", 15, Cmp(EmployeeCount, Greater, 5000)),
        new("TooSmall", -5, Cmp(EmployeeCount, Less, 50)),
        new("RevenueMid", 8, And(Cmp(AnnualRevenue, GreaterOrEqual, 10_000_000), Cmp(AnnualRevenue, Less, 100_000_000))),
        new("RevenueHigh", 15, Cmp(AnnualRevenue, GreaterOrEqual, 100_000_000)),
        new("RevenueLow", -10, Cmp(AnnualRevenue, Less, 1_000_000)),
        new("CountryTier1", 5, In(Country, "United States", "Canada", "United Kingdom", "Germany", "France", "Netherlands", "Australia")),
        new("CountryTier2", 3, In(Country, "Sweden", "Ireland", "Israel", "Singapore", "Japan")),
        new("CountryUnsupported", -5, new PeerCondition.TextEquals(Country, "Other")),
        new("TitleVpDirector", 12, Contains(JobTitle, "VP", "Vice President", "Director")),
        new("TitleCxo", 15, Contains(JobTitle, "Chief", "CEO", "CTO", "CFO", "CIO")),
        new("TitleManager", 6, Contains(JobTitle, "Manager", "Head of")),
        new("TitleStudent", -15, Contains(JobTitle, "Intern", "Student")),
        new("SeniorityExec", 10, In(Seniority, "VP", "C-Level")),
        new("SeniorityEntry", -5, new PeerCondition.TextEquals(Seniority, "Entry")),
        new("DeptTechnical", 8, In(Department, "IT", "Engineering")),
        new("DeptBuyer", 5, In(Department, "Procurement", "Operations", "Finance")),
        new("EmailEngaged", 5, Cmp(EmailOpens30d, GreaterOrEqual, 5)),
        new("EmailHighlyEngaged", 5, Cmp(EmailOpens30d, GreaterOrEqual, 15)),
        new("EmailClicker", 10, Cmp(EmailClicks30d, GreaterOrEqual, 3)),
        new("OpensNoClicks", -3, And(Cmp(EmailClicks30d, Equal, 0), Cmp(EmailOpens30d, GreaterOrEqual, 10))),
        new("WebVisitor", 5, Cmp(WebVisits30d, GreaterOrEqual, 3)),
        new("WebFrequent", 10, Cmp(WebVisits30d, GreaterOrEqual, 10)),
        new("PricingInterest", 20, Cmp(PricingPageViews, GreaterOrEqual, 2)),
        new("PricingGlance", 8, Cmp(PricingPageViews, Equal, 1)),
        new("WebinarNoShow", 5, And(new PeerCondition.Flag(WebinarRegistered, true), new PeerCondition.Flag(WebinarAttended, false))),
        new("WebinarAttended", 15, new PeerCondition.Flag(WebinarAttended, true)),
        new("ContentDownloader", 5, Cmp(ContentDownloads, GreaterOrEqual, 1)),
        new("ContentBinger", 10, Cmp(ContentDownloads, GreaterOrEqual, 4)),
        new("DemoRequested", 40, new PeerCondition.Flag(DemoRequested, true)),
        new("MultiForm", 10, Cmp(FormSubmissions, GreaterOrEqual, 2)),
        new("RecentActivity", 10, Cmp(DaysSinceLastActivity, LessOrEqual, 7)),
        new("Inactive30", -10, Cmp(DaysSinceLastActivity, Greater, 30)),
        new("Inactive90", -20, Cmp(DaysSinceLastActivity, Greater, 90)),
        new("SourceWarm", 15, In(LeadSource, "Referral", "Partner")),
        new("SourceCold", -5, In(LeadSource, "Purchased List", "Paid Social")),
        new("HotDemoSenior", 20, And(new PeerCondition.Flag(DemoRequested, true), In(Seniority, "Director", "VP", "C-Level"))),
    ];

    /// <summary>The reference score: the sum of the points of the rules whose condition holds.</summary>
    /// <param name="lead">The lead.</param>
    /// <returns>The score.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is null.</exception>
    public static int Score(PeerLead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        int score = 0;
        foreach (PeerRule rule in All)
        {
            if (rule.When.IsSatisfiedBy(lead))
            {
                score += rule.Points;
            }
        }

        return score;
    }

    private static PeerCondition.OneOf In(PeerField field, params string[] values) => new(field, [.. values]);

    private static PeerCondition.ContainsAny Contains(PeerField field, params string[] substrings) => new(field, [.. substrings]);

    private static PeerCondition.Compare Cmp(PeerField field, PeerComparison comparison, double value) => new(field, comparison, value);

    private static PeerCondition.All And(params PeerCondition[] conditions) => new([.. conditions]);
}
