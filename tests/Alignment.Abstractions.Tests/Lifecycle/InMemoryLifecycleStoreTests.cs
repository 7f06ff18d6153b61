using Alignment.Leads;
using Alignment.Lifecycle;

namespace Alignment.Abstractions.Tests.Lifecycle;

public sealed class InMemoryLifecycleStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static LeadLifecycle Mql(string id) =>
        LeadLifecycle.Start(new LeadId(id)).Transition(LifecycleStage.MarketingQualified, T0, LifecycleActor.System, "score");

    [Fact]
    public async Task FindAsync_UnknownLead_ReturnsNull()
    {
        var store = new InMemoryLifecycleStore();

        Assert.Null(await store.FindAsync(new LeadId("nobody")));
    }

    [Fact]
    public async Task TrySaveAsync_NewLeadAtVersionZero_SavesIt()
    {
        var store = new InMemoryLifecycleStore();
        var lifecycle = LeadLifecycle.Start(new LeadId("L-1"));

        Assert.True(await store.TrySaveAsync(lifecycle, expectedVersion: 0));
        Assert.Same(lifecycle, await store.FindAsync(new LeadId("L-1")));
    }

    [Fact]
    public async Task TrySaveAsync_NewLeadTwiceAtVersionZero_SecondWriterLoses()
    {
        var store = new InMemoryLifecycleStore();
        var first = Mql("L-1");
        var second = LeadLifecycle.Start(new LeadId("L-1")).Transition(LifecycleStage.Disqualified, T0, LifecycleActor.Sales, "duplicate");

        Assert.True(await store.TrySaveAsync(first, 0));
        Assert.False(await store.TrySaveAsync(second, 0));
        Assert.Same(first, await store.FindAsync(new LeadId("L-1")));
    }

    [Fact]
    public async Task TrySaveAsync_ALifecycleSavedBeforeAnyMove_CanBeUpdatedFromVersionZero_Once()
    {
        var store = new InMemoryLifecycleStore();
        var captured = LeadLifecycle.Start(new LeadId("L-1"));
        Assert.True(await store.TrySaveAsync(captured, 0));

        var mql = captured.Transition(LifecycleStage.MarketingQualified, T0, LifecycleActor.System, "score");
        var rival = captured.Transition(LifecycleStage.Disqualified, T0, LifecycleActor.Sales, "duplicate");
        Assert.True(await store.TrySaveAsync(mql, expectedVersion: 0));
        Assert.False(await store.TrySaveAsync(rival, expectedVersion: 0));
        Assert.Same(mql, await store.FindAsync(new LeadId("L-1")));
    }

    [Fact]
    public async Task TrySaveAsync_ExpectedVersionMatches_Replaces()
    {
        var store = new InMemoryLifecycleStore();
        var mql = Mql("L-1");
        await store.TrySaveAsync(mql, 0);
        var sal = mql.Transition(LifecycleStage.SalesAccepted, T0.AddHours(1), LifecycleActor.Sales, "accepted");

        Assert.True(await store.TrySaveAsync(sal, mql.Version));
        Assert.Same(sal, await store.FindAsync(new LeadId("L-1")));
    }

    [Fact]
    public async Task TrySaveAsync_StaleVersion_RefusesTheLostUpdate()
    {
        var store = new InMemoryLifecycleStore();
        var mql = Mql("L-1");
        await store.TrySaveAsync(mql, 0);
        var accepted = mql.Transition(LifecycleStage.SalesAccepted, T0.AddHours(1), LifecycleActor.Sales, "accepted by rep A");
        var recycled = mql.Transition(LifecycleStage.Recycled, T0.AddHours(1), LifecycleActor.Sales, "rejected by rep B");

        Assert.True(await store.TrySaveAsync(accepted, mql.Version));
        Assert.False(await store.TrySaveAsync(recycled, mql.Version));
        Assert.Equal(LifecycleStage.SalesAccepted, (await store.FindAsync(new LeadId("L-1")))!.Stage);
    }

    [Fact]
    public async Task TrySaveAsync_NonZeroVersionForUnknownLead_ReturnsFalse()
    {
        var store = new InMemoryLifecycleStore();

        Assert.False(await store.TrySaveAsync(Mql("L-1"), expectedVersion: 1));
        Assert.Null(await store.FindAsync(new LeadId("L-1")));
    }

    [Fact]
    public async Task TrySaveAsync_ConcurrentWritersFromTheSameVersion_ExactlyOneWins()
    {
        var store = new InMemoryLifecycleStore();
        var mql = Mql("L-1");
        await store.TrySaveAsync(mql, 0);
        var candidates = Enumerable.Range(0, 32)
            .Select(i => mql.Transition(i % 2 == 0 ? LifecycleStage.SalesAccepted : LifecycleStage.Recycled, T0.AddMinutes(i), LifecycleActor.Sales, $"writer {i}"))
            .ToArray();

        var results = await Task.WhenAll(candidates.Select(c => Task.Run(async () => await store.TrySaveAsync(c, mql.Version))));

        Assert.Equal(1, results.Count(r => r));
        var stored = await store.FindAsync(new LeadId("L-1"));
        Assert.Same(candidates[Array.IndexOf(results, true)], stored);
    }

    [Fact]
    public async Task ListAsync_ReturnsEveryLeadOnce()
    {
        var store = new InMemoryLifecycleStore();
        foreach (var id in new[] { "L-1", "L-2", "L-3" })
        {
            await store.TrySaveAsync(LeadLifecycle.Start(new LeadId(id)), 0);
        }

        var listed = new List<string>();
        await foreach (var item in store.ListAsync())
        {
            listed.Add(item.LeadId.Value);
        }

        Assert.Equal(["L-1", "L-2", "L-3"], listed.Order());
    }

    [Fact]
    public async Task TrySaveAsync_Null_Throws()
    {
        var store = new InMemoryLifecycleStore();

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.TrySaveAsync(null!, 0));
    }

    [Fact]
    public async Task Methods_CancelledToken_ThrowOperationCanceled()
    {
        var store = new InMemoryLifecycleStore();
        await store.TrySaveAsync(LeadLifecycle.Start(new LeadId("L-1")), 0);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.FindAsync(new LeadId("L-1"), cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.TrySaveAsync(Mql("L-2"), 0, cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in store.ListAsync(cts.Token))
            {
            }
        });
        Assert.Null(await store.FindAsync(new LeadId("L-2")));
    }
}
