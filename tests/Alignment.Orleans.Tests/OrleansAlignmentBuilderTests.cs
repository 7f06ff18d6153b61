using Microsoft.Extensions.DependencyInjection.Extensions;
using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Orleans.Campaigns;
using Alignment.Orleans.Lifecycle;
using Alignment.Orleans.Nurture;
using Alignment.Orleans.Sla;
using Alignment.Policies.Handoff;
using Alignment.Policies.Nurture.Campaigns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;

namespace Alignment.Orleans.Tests;

/// <summary>A host switched to the cluster by its set-up alone: the stores, and the subscription that publishes the recorded decisions.</summary>
[Collection(OrleansClusterDefinition.Name)]
public sealed class OrleansAlignmentBuilderTests(ClusterFixture cluster)
{
    private const string Roster = """{ "reps": [ { "id": "a", "team": "ae" }, { "id": "b", "team": "ae" } ] }""";
    private const string Policy = """{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "r", "strategy": "roundRobin", "pool": { "teams": ["ae"] }, "slaMinutes": 30 } ] }""";

    [Fact]
    public async Task The_host_records_its_decisions_in_the_cluster_and_its_running_subscription_publishes_them_to_its_sink()
    {
        string tenant = "di-" + Guid.NewGuid().ToString("N");
        var services = new ServiceCollection();
        services.AddSingleton<IGrainFactory>(cluster.Cluster.GrainFactory);
        services.AddAlignment(a => a
            .AddHandoff(o => { o.PolicyJson = Policy; o.RosterJson = Roster; })
            .UseOrleansRoutingState(tenant)
            .UseOrleansLifecycleStore(tenant)
            .UseOrleansCampaignStore(tenant)
            .UseOrleansNurtureStore(tenant));
        services.TryAddSingleton<Alignment.Policies.Nurture.INurtureStore, Alignment.Policies.Nurture.InMemoryNurtureStore>(); // what AddNurture registers, after
        await using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<OrleansRoutingStateStore>(provider.GetRequiredService<IRoutingStateStore>());
        Assert.True(store.RecordsDecisions);
        Assert.Equal(tenant, store.Tenant);
        Assert.IsType<OrleansLifecycleStore>(provider.GetRequiredService<ILifecycleStore>());
        Assert.IsType<OrleansCampaignStore>(provider.GetRequiredService<ICampaignStore>());
        Assert.IsType<OrleansNurtureStore>(provider.GetRequiredService<Alignment.Policies.Nurture.INurtureStore>());
        var subscriptions = provider.GetServices<IHostedService>().OfType<CellSubscriptionService>().ToArray();
        Assert.Single(subscriptions);

        // The router publishes nothing itself; once the host runs, the cell's outbox reaches the host's sink, keyed.
        var router = provider.GetRequiredService<HandoffRouter>();
        var sink = Assert.IsType<InMemoryDecisionSink>(provider.GetRequiredService<IDecisionSink>());
        var routed = await router.RouteWithDetailsAsync(RoutingScenario.Request("lead-1", "GB"));
        Assert.Empty(sink.Decisions);
        await subscriptions[0].StartAsync(CancellationToken.None);
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (sink.Decisions.IsEmpty && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            var published = Assert.IsType<AlignmentDecision.Routed>(Assert.Single(sink.Decisions));
            Assert.Equal(new AlignmentDecision.Routed(routed.Decision, routed.DecidedAt), published);
            Assert.Equal("routed:lead-1:1", published.IdempotencyKey);
            Assert.Equal(new LeadId("lead-1"), published.LeadId);
        }
        finally
        {
            await subscriptions[0].StopAsync(CancellationToken.None);
        }
    }
}
