using Alignment.Conformance.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Orleans.Campaigns;
using Alignment.Orleans.Lifecycle;
using Alignment.Orleans.Nurture;
using Alignment.Policies.Handoff;
using Alignment.Policies.Nurture.Campaigns;

namespace Alignment.Orleans.Tests;

/// <summary>The Orleans routing state store against the <see cref="IRoutingStateStore"/> contract, each test in a tenant of its own on a 3-silo cluster.</summary>
[Collection(OrleansClusterDefinition.Name)]
public sealed class OrleansRoutingStateStoreConformanceTests(ClusterFixture cluster) : RoutingStateStoreConformance
{
    protected override Task<IRoutingStateStore> CreateStoreAsync() =>
        Task.FromResult<IRoutingStateStore>(new OrleansRoutingStateStore(cluster.Cluster.GrainFactory, "t-" + Guid.NewGuid().ToString("N")));

    protected override ValueTask<IReadOnlyList<HandoffAssignment>> ListHistoryAsync(IRoutingStateStore store, LeadId leadId) =>
        ((OrleansRoutingStateStore)store).ListHistoryAsync(leadId);
}

/// <summary>The Orleans store that records its decisions in its cells' outboxes, against the same contract.</summary>
[Collection(OrleansClusterDefinition.Name)]
public sealed class OrleansRecordingStoreConformanceTests(ClusterFixture cluster) : RoutingStateStoreConformance
{
    protected override Task<IRoutingStateStore> CreateStoreAsync() =>
        Task.FromResult<IRoutingStateStore>(new OrleansRoutingStateStore(cluster.Cluster.GrainFactory, "r-" + Guid.NewGuid().ToString("N"), recordDecisions: true));

    protected override ValueTask<IReadOnlyList<HandoffAssignment>> ListHistoryAsync(IRoutingStateStore store, LeadId leadId) =>
        ((OrleansRoutingStateStore)store).ListHistoryAsync(leadId);
}

/// <summary>The Orleans lifecycle store against the <see cref="ILifecycleStore"/> contract, each test in a tenant of its own.</summary>
[Collection(OrleansClusterDefinition.Name)]
public sealed class OrleansLifecycleStoreConformanceTests(ClusterFixture cluster) : Alignment.Conformance.Lifecycle.LifecycleStoreConformance
{
    protected override Task<ILifecycleStore> CreateStoreAsync() =>
        Task.FromResult<ILifecycleStore>(new OrleansLifecycleStore(cluster.Cluster.GrainFactory, "l-" + Guid.NewGuid().ToString("N")));
}

/// <summary>The Orleans campaign store against the <see cref="ICampaignStore"/> contract, each test in a tenant of its own.</summary>
[Collection(OrleansClusterDefinition.Name)]
public sealed class OrleansCampaignStoreConformanceTests(ClusterFixture cluster) : Alignment.Conformance.Nurture.Campaigns.CampaignStoreConformance
{
    protected override Task<ICampaignStore> CreateStoreAsync() =>
        Task.FromResult<ICampaignStore>(new OrleansCampaignStore(cluster.Cluster.GrainFactory, "c-" + Guid.NewGuid().ToString("N")));
}

/// <summary>The Orleans nurture store against the <see cref="Alignment.Policies.Nurture.INurtureStore"/> contract, each test in a tenant of its own.</summary>
[Collection(OrleansClusterDefinition.Name)]
public sealed class OrleansNurtureStoreConformanceTests(ClusterFixture cluster) : Alignment.Conformance.Nurture.NurtureStoreConformance
{
    protected override Task<Alignment.Policies.Nurture.INurtureStore> CreateStoreAsync() =>
        Task.FromResult<Alignment.Policies.Nurture.INurtureStore>(new OrleansNurtureStore(cluster.Cluster.GrainFactory, "n-" + Guid.NewGuid().ToString("N")));
}
