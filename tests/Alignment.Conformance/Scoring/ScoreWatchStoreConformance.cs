using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Conformance.Scoring;

/// <summary>
/// The <see cref="IScoreWatchStore"/> contract, written once: exact round trips (crossing, owed action, retry), removal, the due
/// order by wake time (the retry when set), the earliest wake, updates only at the version read (one winner among eight),
/// versions never reused; a recording store writes each crossing of an applied update once, with its key, and nothing for a
/// stale one.
/// </summary>
public abstract class ScoreWatchStoreConformance
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(2));

    /// <summary>Makes a new, empty store (its own schema, table or instance): no two tests share one.</summary>
    protected abstract Task<IScoreWatchStore> CreateStoreAsync();

    /// <summary>Makes a new, empty store that records decisions, and the outbox it records into.</summary>
    protected abstract Task<(IScoreWatchStore Store, IDecisionOutbox Outbox)> CreateRecordingStoreAsync();

    private static ScoreWatchUpdate Update(QualificationState state, DateTimeOffset? crossingAt) => new(state, crossingAt);

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
        Assert.Equal(at, found.CrossingAt);
        Assert.Null(found.OwedFrom);
        Assert.Null(found.RetryAt);
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

        Assert.True(await store.TryUpdateAsync(read, Update(QualificationState.MarketingQualified, T0.AddDays(5))));
        var after = (await store.FindAsync(L("a")))!;
        Assert.NotEqual(read.Version, after.Version);
        Assert.Equal((QualificationState.MarketingQualified, T0.AddDays(5)), (after.State, after.CrossingAt));

        // Stale: the first update moved the version.
        Assert.False(await store.TryUpdateAsync(read, Update(QualificationState.NotQualified, null)));
        Assert.NotNull(await store.FindAsync(L("a")));

        // A removal at the current version, then a stale update of the removed watch.
        Assert.True(await store.TryUpdateAsync(after, Update(QualificationState.NotQualified, null)));
        Assert.Null(await store.FindAsync(L("a")));
        Assert.False(await store.TryUpdateAsync(after, Update(QualificationState.NotQualified, T0)));
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
        Assert.False(await store.TryUpdateAsync(first, Update(QualificationState.NotQualified, null)));
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
                return await store.TryUpdateAsync(read, Update(QualificationState.MarketingQualified, T0.AddDays(i + 1)));
            })).ToArray();
            start.Set();
            var results = await Task.WhenAll(tasks);

            Assert.Equal(1, results.Count(r => r));
            int winner = Array.IndexOf(results, true);
            Assert.Equal(T0.AddDays(winner + 1), (await store.FindAsync(L("r" + round)))!.WakeAt);
        }
    }

    [Fact]
    public async Task An_owed_action_and_its_retry_round_trip_and_the_retry_decides_the_wake_time()
    {
        var store = await CreateStoreAsync();
        var read = (await store.SetAsync(L("a"), QualificationState.MarketingQualified, T0))!;
        var retry = T0.AddMinutes(5).ToOffset(TimeSpan.FromHours(-5)).AddTicks(7);
        var update = new ScoreWatchUpdate(QualificationState.NotQualified, T0.AddDays(3)) { OwedFrom = QualificationState.MarketingQualified, RetryAt = retry };

        Assert.True(await store.TryUpdateAsync(read, update));
        var found = (await store.FindAsync(L("a")))!;
        Assert.Equal((QualificationState.NotQualified, T0.AddDays(3), QualificationState.MarketingQualified, retry), (found.State, found.CrossingAt, found.OwedFrom, found.RetryAt));
        Assert.Equal(retry.Offset, found.RetryAt!.Value.Offset);
        Assert.Equal(retry, found.WakeAt);
        Assert.Equal(retry, await store.GetNextWakeAsync());
        Assert.Equal(new[] { found }, await store.GetDueAsync(retry, 10));
        Assert.Empty(await store.GetDueAsync(retry.AddTicks(-1), 10));

        // A retry alone (no crossing ahead) keeps the entry; clearing both removes it.
        var retryOnly = new ScoreWatchUpdate(QualificationState.NotQualified, null) { OwedFrom = QualificationState.MarketingQualified, RetryAt = retry };
        Assert.True(await store.TryUpdateAsync(found, retryOnly));
        var kept = (await store.FindAsync(L("a")))!;
        Assert.Null(kept.CrossingAt);
        Assert.Equal(retry, kept.WakeAt);
        Assert.True(await store.TryUpdateAsync(kept, ScoreWatchUpdate.Keep(kept) with { OwedFrom = null, RetryAt = null }));
        Assert.Null(await store.FindAsync(L("a")));

        // A plain set replaces an owed action.
        var again = (await store.SetAsync(L("b"), QualificationState.Hot, T0))!;
        Assert.True(await store.TryUpdateAsync(again, update));
        var plain = (await store.SetAsync(L("b"), QualificationState.Hot, T0.AddDays(1)))!;
        Assert.Equal((null, null, T0.AddDays(1)), (plain.OwedFrom, plain.RetryAt, plain.WakeAt));
        Assert.Equal(plain, await store.FindAsync(L("b")));
    }

    [Fact]
    public async Task A_store_that_does_not_record_ignores_crossings_and_rejects_a_crossing_of_another_lead()
    {
        var store = await CreateStoreAsync();
        Assert.False(store.RecordsDecisions);
        var read = (await store.SetAsync(L("a"), QualificationState.Hot, T0))!;
        var foreign = new AlignmentDecision.ScoreCrossed(L("b"), new ThresholdCrossing(QualificationState.Hot, QualificationState.NotQualified), 1m, T0);

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryUpdateAsync(read, Update(QualificationState.NotQualified, null) with { Crossings = [foreign] }));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.TryUpdateAsync(read, null!));
        Assert.Equal(read, await store.FindAsync(L("a")));
        Assert.True(await store.TryUpdateAsync(read, Update(QualificationState.NotQualified, null) with { Crossings = [foreign with { Lead = L("a") }] }));
    }

    [Fact]
    public async Task A_recording_store_writes_each_crossing_of_an_applied_update_once_with_its_key_and_nothing_for_a_stale_one()
    {
        var (store, outbox) = await CreateRecordingStoreAsync();
        Assert.True(store.RecordsDecisions);
        var at1 = T0.AddTicks(1_234_567);
        var at2 = T0.AddDays(2).ToOffset(TimeSpan.FromHours(-7));
        var down = new AlignmentDecision.ScoreCrossed(L("a"), new ThresholdCrossing(QualificationState.Hot, QualificationState.MarketingQualified), 71.25m, at1);
        var out2 = new AlignmentDecision.ScoreCrossed(L("a"), new ThresholdCrossing(QualificationState.MarketingQualified, QualificationState.NotQualified), 39.5m, at2);
        var read = (await store.SetAsync(L("a"), QualificationState.Hot, at1))!;
        var move = new ScoreWatchUpdate(QualificationState.NotQualified, null) { OwedFrom = QualificationState.Hot, RetryAt = T0.AddDays(3), Crossings = [down, out2] };

        Assert.True(await store.TryUpdateAsync(read, move));
        Assert.False(await store.TryUpdateAsync(read, move)); // stale: the version moved, nothing recorded again

        var pending = await outbox.ReadPendingAsync(10);
        Assert.Equal([$"score-crossed:a:{at1.UtcTicks}", $"score-crossed:a:{at2.UtcTicks}"], pending.Select(p => p.Key));
        Assert.Equal(new AlignmentDecision[] { down, out2 }, pending.Select(p => p.Decision));
        Assert.Equal([at1.Offset, at2.Offset], pending.Select(p => ((AlignmentDecision.ScoreCrossed)p.Decision).CrossedAt.Offset));
        Assert.All(pending, p => Assert.Equal(p.Key, p.Decision.IdempotencyKey));

        // An update without crossings (the owed action done) records nothing.
        var moved = (await store.FindAsync(L("a")))!;
        Assert.True(await store.TryUpdateAsync(moved, ScoreWatchUpdate.Keep(moved) with { OwedFrom = null, RetryAt = null }));
        Assert.Equal(2, (await outbox.ReadPendingAsync(10)).Count);
    }
}
