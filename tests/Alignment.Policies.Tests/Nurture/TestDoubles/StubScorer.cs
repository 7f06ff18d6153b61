using System.Collections.Immutable;
using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Policies.Tests.Nurture.TestDoubles;

/// <summary>A simple ILeadScorer test double: 10 points per engaging activity in the 30 days before the instant; MQL at 50.</summary>
public sealed class StubScorer : ILeadScorer
{
    public const decimal MqlThreshold = 50;

    public int Calls { get; private set; }

    public ScoreCard Score(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(lead);
        Calls++;
        decimal total = 0;
        foreach (var a in activities)
        {
            if (a.Timestamp <= asOf && asOf - a.Timestamp <= TimeSpan.FromDays(30)
                && a.Type is ActivityType.EmailClicked or ActivityType.FormSubmitted or ActivityType.DemoRequested or ActivityType.WebinarAttended or ActivityType.ContentDownloaded)
            {
                total += 10;
            }
        }

        return new ScoreCard
        {
            LeadId = lead.Id,
            AsOf = asOf,
            Total = total,
            Fit = 0,
            Engagement = total,
            Grade = Grade.B,
            State = total >= MqlThreshold ? QualificationState.MarketingQualified : QualificationState.NotQualified,
            Categories = ImmutableArray<CategoryScore>.Empty,
            Explanation = [],
            ModelId = "stub",
            ModelVersion = "1.0.0",
            ModelHash = "0",
        };
    }
}
