using Alignment.Leads;
using Alignment.Lifecycle;

namespace Alignment.Conformance.Lifecycle;

/// <summary>
/// The <see cref="ILifecycleStore"/> contract, written once: optimistic concurrency on the number of transitions, exact round
/// trips of the history, listing, argument checks and cancellation. Every backend's test project derives one class from it and
/// says how to make an empty store.
/// </summary>
public abstract class LifecycleStoreConformance
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(1));

    /// <summary>Makes a new, empty store (its own schema, table or instance): no two tests share one.</summary>
    protected abstract Task<ILifecycleStore> CreateStoreAsync();

    private static LeadLifecycle ToMql(string lead) =>
        LeadLifecycle.Start(new LeadId(lead)).Transition(LifecycleStage.MarketingQualified, T0, LifecycleActor.System, "score 72 >= 60", "model@1.2.0");

    [Fact]
    public async Task An_unknown_lead_is_not_found()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.FindAsync(new LeadId("nobody")));
    }

    [Fact]
    public async Task A_saved_history_is_found_exactly_as_written()
    {
        var store = await CreateStoreAsync();
        var mql = ToMql("a");
        // Sub-microsecond ticks and a non-UTC offset must survive: the history is replayed from them.
        var sal = mql.Transition(LifecycleStage.SalesAccepted, T0.AddTicks(1_234_567), LifecycleActor.Sales, "accepted: fits ICP");

        Assert.True(await store.TrySaveAsync(mql, 0));
        Assert.True(await store.TrySaveAsync(sal, 1));

        var found = (await store.FindAsync(new LeadId("a")))!;
        Assert.Equal(LifecycleStage.SalesAccepted, found.Stage);
        Assert.Equal(2, found.Version);
        Assert.Equal(sal.History.ToArray(), found.History.ToArray());
        Assert.Equal(T0.Offset, found.History[0].At.Offset);
        Assert.Equal(T0.AddTicks(1_234_567).UtcTicks, found.History[1].At.UtcTicks);
        Assert.Equal("model@1.2.0", found.History[0].ModelVersion);
        Assert.Null(found.History[1].ModelVersion);
    }

    [Fact]
    public async Task A_stale_version_loses_and_the_stored_lifecycle_is_kept()
    {
        var store = await CreateStoreAsync();
        var mql = ToMql("b");
        Assert.True(await store.TrySaveAsync(mql, 0));

        // Two hosts read version 1 and both move the lead: the second one loses.
        var accepted = mql.Transition(LifecycleStage.SalesAccepted, T0.AddHours(1), LifecycleActor.Sales, "accepted");
        var recycled = mql.Transition(LifecycleStage.Recycled, T0.AddHours(1), LifecycleActor.Marketing, "not ready");
        Assert.True(await store.TrySaveAsync(accepted, 1));
        Assert.False(await store.TrySaveAsync(recycled, 1));
        Assert.False(await store.TrySaveAsync(ToMql("b"), 0)); // a writer that thinks the lead is new

        Assert.Equal(LifecycleStage.SalesAccepted, (await store.FindAsync(new LeadId("b")))!.Stage);
    }

    [Fact]
    public async Task A_version_other_than_zero_for_an_unknown_lead_saves_nothing()
    {
        var store = await CreateStoreAsync();

        Assert.False(await store.TrySaveAsync(ToMql("never-saved"), 3));
        Assert.False(await store.TrySaveAsync(ToMql("never-saved"), 1));
        Assert.Null(await store.FindAsync(new LeadId("never-saved")));
    }

    [Fact]
    public async Task A_lifecycle_saved_before_any_move_is_updated_from_version_zero_once()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TrySaveAsync(LeadLifecycle.Start(new LeadId("c")), 0));
        var found = (await store.FindAsync(new LeadId("c")))!;
        Assert.Equal((LifecycleStage.Inquiry, 0), (found.Stage, found.Version));

        Assert.True(await store.TrySaveAsync(ToMql("c"), 0));
        Assert.Equal(LifecycleStage.MarketingQualified, (await store.FindAsync(new LeadId("c")))!.Stage);
        Assert.False(await store.TrySaveAsync(ToMql("c"), 0));
    }

    [Fact]
    public async Task Concurrent_writers_from_one_version_exactly_one_wins_each_time()
    {
        var store = await CreateStoreAsync();
        var id = new LeadId("d");

        // Eight hosts see a new lead at once: one adds it.
        var first = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            await store.TrySaveAsync(LeadLifecycle.Start(id).Transition(LifecycleStage.MarketingQualified, T0, LifecycleActor.System, "host " + i), 0))));
        Assert.Single(first, saved => saved);

        // Then they race to move it on from version 1: one wins again, and its history is what is stored.
        var read = (await store.FindAsync(id))!;
        var moves = Enumerable.Range(0, 8).Select(i => read.Transition(LifecycleStage.SalesAccepted, T0.AddMinutes(i), LifecycleActor.Sales, "rep " + i)).ToArray();
        var second = await Task.WhenAll(moves.Select(m => Task.Run(async () => await store.TrySaveAsync(m, 1))));
        Assert.Single(second, saved => saved);
        var winner = moves[Array.IndexOf(second, true)];
        Assert.Equal(winner.History.ToArray(), (await store.FindAsync(id))!.History.ToArray());
    }

    [Fact]
    public async Task Listing_returns_every_lead_once()
    {
        var store = await CreateStoreAsync();
        for (int i = 0; i < 25; i++)
        {
            var l = ToMql("lead-" + i);
            if (i % 3 == 0)
            {
                l = l.Transition(LifecycleStage.Recycled, T0.AddDays(1), LifecycleActor.Sales, "no budget");
            }

            Assert.True(await store.TrySaveAsync(l, 0));
        }

        Assert.True(await store.TrySaveAsync(LeadLifecycle.Start(new LeadId("fresh")), 0));
        var all = new List<LeadLifecycle>();
        await foreach (var l in store.ListAsync())
        {
            all.Add(l);
        }

        Assert.Equal(26, all.Count);
        Assert.Equal(26, all.Select(l => l.LeadId).Distinct().Count());
        Assert.Equal(9, all.Count(l => l.Stage == LifecycleStage.Recycled));
        Assert.Equal(0, all.Single(l => l.LeadId == new LeadId("fresh")).Version);
    }

    [Fact]
    public async Task A_null_lifecycle_is_refused()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.TrySaveAsync(null!, 0));
    }

    [Fact]
    public async Task Every_call_honours_cancellation_and_a_cancelled_save_saves_nothing()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TrySaveAsync(LeadLifecycle.Start(new LeadId("f")), 0));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.TrySaveAsync(ToMql("e"), 0, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.FindAsync(new LeadId("f"), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in store.ListAsync(cancelled.Token))
            {
            }
        });
        Assert.Null(await store.FindAsync(new LeadId("e")));
    }
}
