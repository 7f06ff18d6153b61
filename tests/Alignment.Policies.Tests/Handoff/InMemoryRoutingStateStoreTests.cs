using Alignment.Conformance.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;

namespace Alignment.Policies.Tests.Handoff;

/// <summary>The in-memory routing state store against the <see cref="IRoutingStateStore"/> contract (tests/Alignment.Conformance).</summary>
public sealed class InMemoryRoutingStateStoreTests : RoutingStateStoreConformance
{
    protected override Task<IRoutingStateStore> CreateStoreAsync() => Task.FromResult<IRoutingStateStore>(new InMemoryRoutingStateStore());

    protected override ValueTask<IReadOnlyList<HandoffAssignment>> ListHistoryAsync(IRoutingStateStore store, LeadId leadId) =>
        ((InMemoryRoutingStateStore)store).ListHistoryAsync(leadId);
}
