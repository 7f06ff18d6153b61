using Alignment.Conformance.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;

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
