using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Conformance.Scoring;

/// <summary>
/// The <see cref="IScoreWatchStore"/> contract, written once: exact round trips, removal, the due order, the earliest wake,
/// updates only at the version read (one winner among eight), versions never reused.
/// </summary>
public abstract class ScoreWatchStoreConformance
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(2));

    /// <summary>Makes a new, empty store (its own schema, table or instance): no two tests share one.</summary>
    protected abstract Task<IScoreWatchStore> CreateStoreAsync();

    private static LeadId L(string id) => new(id);

    [Fact]
    public async Task A_watch_is_found_exactly_as_set_and_removed_by_a_null_wake_time()
    {
        var store = await CreateStoreAsync();
        Assert.Null(await store.FindAsync(L("a")));
        Assert.Null(await store.GetNextWakeAsync());

        var at = T0.AddTicks(1_234_567);
        var set = await store.SetAsync(L("a"), QualificationState.Hot, at);
        var found = await store.FindAsync(L("a"));

        Assert.NotNull(set);
        Assert.Equal(set, found);
        Assert.Equal(at, found!.WakeAt);
        Assert.Equal(at.Offset, found.WakeAt.Offset);
        Assert.Equal(at.UtcTicks, found.WakeAt.UtcTicks);
        Assert.Equal(QualificationState.Hot, found.State);

        Assert.Null(await store.SetAsync(L("a"), QualificationState.Hot, null));
        Assert.Null(await store.FindAsync(L("a")));
        Assert.Null(await store.SetAsync(L("never"), QualificationState.NotQualified, null));
    }

    [Fact]
    public async Task Due_watches_come_earliest_first_up_to_the_instant_inclusive_and_the_count()
    {
        var store = await CreateStoreAsync();
        await store.SetAsync(L("late"), QualificationState.MarketingQualified, T0.AddDays(3));
        await store.SetAsync(L("first"), QualificationState.MarketingQualified, T0.AddDays(1));
        await store.SetAsync(L("second"), QualificationState.Hot, T0.AddDays(2));
        await store.SetAsync(L("moved"), QualificationState.Hot, T0.AddDays(1).AddHours(1));
        await store.SetAsync(L("moved"), QualificationState.Hot, T0.AddDays(10)); // replaced: no longer due

        var due = await store.GetDueAsync(T0.AddDays(2), 10);
        Assert.Equal(new[] { "first", "second" }, due.Select(w => w.LeadId.Value));
        Assert.Equal(new[] { "first" }, (await store.GetDueAsync(T0.AddDays(2), 1)).Select(w => w.LeadId.Value));
        Assert.Empty(await store.GetDueAsync(T0, 10));
        Assert.Equal(T0.AddDays(1), await store.GetNextWakeAsync());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.GetDueAsync(T0, 0));
    }

    [Fact]
    public async Task An_update_applies_only_at_the_version_read_and_changes_the_version()
    {
        var store = await CreateStoreAsync();
        var read = (await store.SetAsync(L("a"), QualificationState.Hot, T0))!;

        Assert.True(await store.TryUpdateAsync(read, QualificationState.MarketingQualified, T0.AddDays(5)));
        var after = (await store.FindAsync(L("a")))!;
        Assert.NotEqual(read.Version, after.Version);
        Assert.Equal((QualificationState.MarketingQualified, T0.AddDays(5)), (after.State, after.WakeAt));

        // Stale: the first update moved the version.
        Assert.False(await store.TryUpdateAsync(read, QualificationState.NotQualified, null));
        Assert.NotNull(await store.FindAsync(L("a")));

        // A removal at the current version, then a stale update of the removed watch.
        Assert.True(await store.TryUpdateAsync(after, QualificationState.NotQualified, null));
        Assert.Null(await store.FindAsync(L("a")));
        Assert.False(await store.TryUpdateAsync(after, QualificationState.NotQualified, T0));
        Assert.Null(await store.FindAsync(L("a")));
    }

    [Fact]
    public async Task A_watch_set_again_after_removal_has_a_new_version()
    {
        var store = await CreateStoreAsync();
        var first = (await store.SetAsync(L("a"), QualificationState.Hot, T0))!;
        await store.SetAsync(L("a"), QualificationState.Hot, null);
        var again = (await store.SetAsync(L("a"), QualificationState.Hot, T0))!;

        Assert.NotEqual(first.Version, again.Version);
        Assert.False(await store.TryUpdateAsync(first, QualificationState.NotQualified, null));
        Assert.NotNull(await store.FindAsync(L("a")));
    }

    [Fact]
    public async Task Eight_concurrent_updates_of_one_read_have_one_winner()
    {
        var store = await CreateStoreAsync();
        for (int round = 0; round < 5; round++)
        {
            var read = (await store.SetAsync(L("r" + round), QualificationState.Hot, T0))!;
            using var start = new ManualResetEventSlim();
            var tasks = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                start.Wait();
                return await store.TryUpdateAsync(read, QualificationState.MarketingQualified, T0.AddDays(i + 1));
            })).ToArray();
            start.Set();
            var results = await Task.WhenAll(tasks);

            Assert.Equal(1, results.Count(r => r));
            int winner = Array.IndexOf(results, true);
            Assert.Equal(T0.AddDays(winner + 1), (await store.FindAsync(L("r" + round)))!.WakeAt);
        }
    }
}
