using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using static Alignment.Policies.Tests.Handoff.HandoffTestData;

namespace Alignment.Policies.Tests.Handoff;

public sealed class InMemoryRoutingStateStoreTests
{
    private static readonly CompiledRoutingPolicy Policy = Compile([Rep("a"), Rep("b")], Rule("rr", RoutingStrategy.RoundRobin, "ae"));

    private static HandoffAssignment Assign(HandoffAssignment? current, string rep, HandoffStatus status = HandoffStatus.Assigned) =>
        new(new HandoffDecision.Assigned(new LeadId("l"), new RepId(rep), "rr", "test"), RoutingFacts.From(Request("l")), (current?.Epoch ?? 0) + 1, Monday10Utc, status);

    [Theory]
    [InlineData(HandoffStatus.Queued)]
    [InlineData(HandoffStatus.Assigned)]
    [InlineData(HandoffStatus.Touched)]
    public async Task DecideAsync_NoExpectedEpoch_OpenHandoff_ReturnsItWithoutDeciding(HandoffStatus status)
    {
        var store = new InMemoryRoutingStateStore();
        var first = await store.DecideAsync(Policy, new LeadId("l"), null, (c, _) => Assign(c, "a"));
        await store.UpdateAsync(new LeadId("l"), 1, a => a with { Status = status });
        int calls = 0;

        var again = await store.DecideAsync(Policy, new LeadId("l"), null, (c, _) => { calls++; return Assign(c, "b"); });

        Assert.Equal(0, calls);
        Assert.Equal((1, status, first.Decision), (again.Epoch, again.Status, again.Decision));
        Assert.Empty(await store.ListHistoryAsync(new LeadId("l")));
    }

    [Theory]
    [InlineData(HandoffStatus.Accepted)]
    [InlineData(HandoffStatus.Rejected)]
    [InlineData(HandoffStatus.Recycled)]
    public async Task DecideAsync_NoExpectedEpoch_ClosedHandoff_DecidesAfreshAndKeepsTheClosedOne(HandoffStatus status)
    {
        var store = new InMemoryRoutingStateStore();
        await store.DecideAsync(Policy, new LeadId("l"), null, (c, _) => Assign(c, "a"));
        var closed = await store.UpdateAsync(new LeadId("l"), 1, a => a with { Status = status, ClosedAt = Monday10Utc });
        HandoffAssignment? seen = null;

        var next = await store.DecideAsync(Policy, new LeadId("l"), null, (c, _) => { seen = c; return Assign(c, "b"); });

        Assert.Same(closed, seen);
        Assert.Equal((2, "b"), (next.Epoch, next.Rep!.Value.Value));
        Assert.Same(next, await store.FindAsync(new LeadId("l")));
        Assert.NotNull(closed);
        Assert.Equal([closed], await store.ListHistoryAsync(new LeadId("l")));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public async Task DecideAsync_ExpectedEpoch_ReplacesAndKeepsHistoryOldestFirst()
    {
        var store = new InMemoryRoutingStateStore();
        var first = await store.DecideAsync(Policy, new LeadId("l"), null, (c, _) => Assign(c, "a"));
        var second = await store.DecideAsync(Policy, new LeadId("l"), 1, (c, _) => Assign(c, "b"));
        var stale = await store.DecideAsync(Policy, new LeadId("l"), 1, (c, _) => Assign(c, "a"));
        var third = await store.DecideAsync(Policy, new LeadId("l"), 2, (c, _) => Assign(c, "a"));

        Assert.Same(second, stale);
        Assert.Equal(3, third.Epoch);
        Assert.Equal([first, second], await store.ListHistoryAsync(new LeadId("l")));
        Assert.Empty(await store.ListHistoryAsync(new LeadId("other")));
    }
}
