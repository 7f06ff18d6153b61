using Alignment.Benchmarks.Scoring;
using Alignment.Scoring;

namespace Alignment.Benchmarks.Tests.Scoring;

/// <summary>The engagement benchmark's two implementations compute the same scores, so its ratio compares equal work.</summary>
public sealed class EngagementWorkloadTests
{
    [Fact]
    public void HandWrittenAndAlignment_GiveTheSameScore_ForEveryLead()
    {
        var (leads, activities, offsets) = EngagementWorkload.Create(5_000, EngagementScoringBenchmark.ActivitiesPerLead);
        var model = EngagementWorkload.Compile();
        var results = new LeadScore[leads.Length];
        model.ScoreBatch(leads, new LeadActivities(activities, offsets), EngagementWorkload.AsOf, results);
        int differ = 0;
        for (int i = 0; i < leads.Length; i++)
        {
            long expected = EngagementHandWritten.Score(activities.AsSpan(offsets[i], offsets[i + 1] - offsets[i]), EngagementWorkload.AsOf);
            if (expected != results[i].TotalHundredths)
            {
                differ++;
            }
        }

        Assert.Equal(0, differ);
        Assert.Contains(results, r => r.TotalHundredths > 0);
        Assert.Contains(results, r => r.TotalHundredths < 0);
    }

    [Fact]
    public void Workload_IsDeterministic_AndHasActivitiesAfterTheScoringInstant()
    {
        var (_, a, _) = EngagementWorkload.Create(200, 50);
        var (_, b, _) = EngagementWorkload.Create(200, 50);
        Assert.Equal(a, b);
        Assert.Contains(a, x => x.Timestamp > EngagementWorkload.AsOf);
    }
}
