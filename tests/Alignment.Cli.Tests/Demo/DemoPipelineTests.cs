using Alignment.Models;
using Alignment.Cli.Demo;
using Alignment.Policies.Handoff;

namespace Alignment.Cli.Tests.Demo;

/// <summary>Runs the demo's pipeline in memory over part of the sample year to check what the router's service-level check does.</summary>
public sealed class DemoPipelineTests
{
    private const int Leads = 6_000;
    private const string NotifyOnly = "\"escalation\": { \"notifyManager\": true }";

    [Fact]
    public async Task RunAsync_BundledPolicy_NotifiesTheManagerExactlyOnceForEveryHotBreach()
    {
        var run = await RunAsync(DemoModels.RoutingPolicyText);
        var e = run.Escalations;

        int hot = e.BreachesBySlaMinutes.GetValueOrDefault(15);
        Assert.True(hot > 0, "some hot lead was touched late");
        Assert.Equal(run.Routing.SlaBreaches.Count, e.Breaches);
        Assert.Equal(hot, e.Notifications.Count);
        Assert.Equal(e.Notifications.Count, e.Notifications.Select(n => (n.LeadId, n.DueAt)).Distinct().Count());
        Assert.All(e.Notifications, n =>
        {
            Assert.StartsWith("hot-", n.RuleId, StringComparison.Ordinal);
            Assert.Equal("vp-sales-morgan", n.Manager?.Value);
            Assert.Equal(n.DueAt, n.DetectedAt);
        });
        var breachedHot = run.Routing.SlaBreaches.Where(b => e.Notifications.Any(n => n.LeadId == b.Lead && n.DueAt == b.DueAt)).Count();
        Assert.Equal(hot, breachedHot);
        Assert.True(e.Checks > 0 && e.Checks <= e.Breaches, $"{e.Checks} checks for {e.Breaches} breaches");
        Assert.Equal(0, e.Reassigned);
        Assert.Equal(0, e.EscalatedToQueue);
        Assert.Equal(0, e.StaleTouchesDropped);
    }

    [Fact]
    public async Task RunAsync_BundledPolicy_ATouchIsLateExactlyWhenTheRouterEscalatedItFirst()
    {
        var run = await RunAsync(DemoModels.RoutingPolicyText);

        Assert.Contains(run.FirstTouches, t => !t.Met);
        Assert.All(run.FirstTouches, t => Assert.Equal(!t.Met, t.Escalated));
        int lateHot = run.FirstTouches.Count(t => t.SlaMinutes == 15 && !t.Met);
        int lateStandard = run.FirstTouches.Count(t => t.SlaMinutes == 1440 && !t.Met);
        Assert.InRange(lateHot, 1, run.Escalations.BreachesBySlaMinutes.GetValueOrDefault(15));
        Assert.InRange(lateStandard, 1, run.Escalations.BreachesBySlaMinutes.GetValueOrDefault(1440));
    }

    [Fact]
    public async Task RunAsync_PolicyThatReassigns_MovesBreachedLeadsOnAndLeavesNoLeadWithoutOwnerOrTrack()
    {
        string policy = DemoModels.RoutingPolicyText
            .Replace(NotifyOnly, "\"escalation\": { \"notifyManager\": true, \"maxReassignments\": 1 }", StringComparison.Ordinal)
            .Replace("\"slaMinutes\": 1440 }", "\"slaMinutes\": 1440, \"escalation\": { \"maxReassignments\": 1, \"queue\": \"sla-missed\" } }", StringComparison.Ordinal);
        Assert.NotEqual(DemoModels.RoutingPolicyText, policy);

        var run = await RunAsync(policy);
        var e = run.Escalations;

        Assert.True(e.Reassigned > 0, "some breached lead went to another rep");
        Assert.True(e.EscalatedToQueue > 0, "some lead missed its service level twice and went to the queue");
        Assert.True(run.Routing.QueuedByQueue.GetValueOrDefault("sla-missed") > 0);
        Assert.InRange(e.StaleTouchesDropped, 1, e.Reassigned + e.EscalatedToQueue);
        Assert.Equal(e.BreachesBySlaMinutes.GetValueOrDefault(15), e.Notifications.Count);
        Assert.All(run.FirstTouches, t => Assert.Equal(!t.Met, t.Escalated));
        Assert.Equal(0, run.FinalAudit.LeadsWithoutOwnerOrTrack);
        Assert.Empty(run.FinalAudit.HeldTwice);
        Assert.Equal(0, run.WorstAuditDuringYear);
    }

    private static async Task<DemoRun> RunAsync(string routingPolicy)
    {
        var models = DemoModels.Load(SampleDataGenerator.Start);
        if (!ReferenceEquals(routingPolicy, DemoModels.RoutingPolicyText))
        {
            models = models with { Routing = CompiledRoutingPolicy.Load(routingPolicy, DemoModels.RosterText) };
        }

        var sample = SampleDataGenerator.Generate();
        using var pipeline = new DemoPipeline(models, [.. sample.Take(Leads)], SampleDataGenerator.DefaultSeed);
        return await pipeline.RunAsync();
    }
}
