using Alignment.Policies.Handoff;
using Alignment.Scoring;
using static Alignment.Policies.Tests.Handoff.HandoffTestData;

namespace Alignment.Policies.Tests.Handoff;

public sealed class RoutingSimulationTests
{
    [Fact]
    public void Run_ReportsLoadFairnessCapacityQueuesAndTimeToFirstTouch()
    {
        var policy = Compile(
            [Rep("a", maxOpen: 3), Rep("b", maxOpen: 3), Rep("c", maxOpen: 3)],
            Rule("hot", RoutingStrategies.RoundRobin, "ae") with { Match = new() { States = ["hot"] }, SlaMinutes = 15, Queue = "hot-overflow" },
            Rule("rest", RoutingStrategies.RoundRobin, "ae") with { SlaMinutes = 24 * 60 });
        var leads = Enumerable.Range(0, 300).Select(i => Request($"l{i}", i % 3 == 0 ? QualificationState.Hot : QualificationState.MarketingQualified)).ToList();

        var report = RoutingSimulation.Run(policy, leads, new RoutingSimulationOptions { Days = 5, MeanResponseTime = TimeSpan.FromMinutes(10), HoldTime = TimeSpan.FromHours(2) });

        Assert.Equal(300, report.Leads);
        Assert.Equal(report.Leads, report.Assigned + report.Queues.Values.Sum());
        Assert.Equal(report.Assigned, report.Reps.Sum(r => r.Assigned));
        Assert.All(report.Reps, r => Assert.True(r.PeakOpen <= 3));
        Assert.True(report.MaxMinRatio <= 1.05, $"ratio {report.MaxMinRatio}");
        Assert.True(report.Gini < 0.02, $"gini {report.Gini}");
        Assert.True(report.MedianTimeToFirstTouch > TimeSpan.Zero && report.MedianTimeToFirstTouch <= report.P95TimeToFirstTouch);
        Assert.InRange(report.SlaMetRatio, 0.5, 1);
    }

    [Fact]
    public void Run_TooManyLeadsForTheCaps_QueuesTheRestAndCountsCapacityHits()
    {
        var policy = Compile([Rep("a", maxOpen: 2), Rep("b", maxOpen: 2)], Rule("rr", RoutingStrategies.RoundRobin, "ae"));
        var leads = Enumerable.Range(0, 10).Select(i => Request($"l{i}")).ToList();

        var report = RoutingSimulation.Run(policy, leads, new RoutingSimulationOptions { Days = 1, HoldTime = TimeSpan.FromDays(10) });

        Assert.Equal(4, report.Assigned);
        Assert.Equal(6, report.Queues["unassigned"]);
        Assert.Equal(6, report.MaxQueueDepth);
        Assert.Equal(12, report.CapacityHits);
    }

    [Fact]
    public void Gini_OfEvenAndSkewedLoads()
    {
        Assert.Equal(0, RoutingSimulation.Gini([5, 5, 5, 5]));
        Assert.Equal(0.75, RoutingSimulation.Gini([0, 0, 0, 8]), 10);
    }
}
