using System.Collections.Concurrent;
using Alignment.Leads;
using Alignment.Nurture;
using Alignment.Policies.Nurture;
using Alignment.Segmentation;

namespace Alignment.Conformance.Nurture;

/// <summary>
/// The <see cref="INurtureStore"/> contract, written once: a lead has at most one enrolment on a track, and a new one needs the
/// lead's next sequence; updates apply only at the version the caller read (a track change ends the enrolment and inserts its
/// successor in one step); due enrolments are peeked without claiming and claimed earliest first, each by one worker until its
/// lease expires, even when several workers claim at once; the lease holder completes a step by clearing the lease and moving the
/// due time, and a holder whose lease expired and was claimed again cannot write; a sent step is recorded once; and a cancelled
/// call saves nothing.
/// </summary>
/// <remarks>
/// A backend's test project derives one class from this suite and overrides <see cref="CreateStoreAsync"/> to make an empty store
/// (its own schema, table or instance); the failing tests then say which part of the protocol a new backend breaks. Times are
/// compared as instants at whole seconds: the interface does not promise to keep a time's offset or sub-microsecond ticks.
/// </remarks>
public abstract class NurtureStoreConformance
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Makes a new, empty store: no two tests share one.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<INurtureStore> CreateStoreAsync();

    private static NurtureEnrolmentRecord Record(string lead, int sequence = 1, DateTimeOffset? due = null) => new()
    {
        LeadId = new LeadId(lead),
        Sequence = sequence,
        TrackId = "t",
        Reason = NurtureEntryReason.NeverEngaged,
        EnrolledAt = T0,
        PolicyVersion = "1.0.0",
        NextDueAt = due ?? T0,
    };

    private static NurtureEnrolmentRecord Ended(NurtureEnrolmentRecord r, string why = "exhausted") =>
        r with { Status = NurtureEnrolmentStatus.Ended, NextDueAt = null, EndedAt = T0.AddDays(1), StatusReason = why, LeaseOwner = null, LeaseUntil = null };

    private static NurtureSentStep Sent(string lead, int sequence, int step, DateTimeOffset at) =>
        new($"{lead}:{sequence}", new LeadId(lead), "t", step, "step-" + step, NurtureStepKind.Email, "content-" + step, at, "step " + step + " of track t");

    private static async Task<NurtureEnrolmentRecord> FindAsync(INurtureStore store, string lead) => (await store.FindLatestAsync(new LeadId(lead)))!;

    private static async Task<List<NurtureEnrolmentRecord>> ListLatestAsync(INurtureStore store)
    {
        var all = new List<NurtureEnrolmentRecord>();
        await foreach (var r in store.ListLatestAsync())
        {
            all.Add(r);
        }

        return all;
    }

    private static IEnumerable<string> Leads(IEnumerable<NurtureDueItem> items) => items.Select(i => i.LeadId.Value);

    private static IEnumerable<string> Leads(IEnumerable<NurtureEnrolmentRecord> records) => records.Select(r => r.LeadId.Value);

    [Fact]
    public async Task A_lead_never_enrolled_has_nothing_on_record()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.FindLatestAsync(new LeadId("nobody")));
        Assert.Empty(await store.ListSentAsync(new LeadId("nobody")));
        Assert.False(await store.WasSentAsync("nobody:1", 0));
        Assert.Empty(await store.PeekDueAsync(T0.AddYears(1), 10));
        Assert.Empty(await store.ClaimDueAsync(T0.AddYears(1), 10, "w", T0.AddYears(2)));
        Assert.Empty(await ListLatestAsync(store));
    }

    [Fact]
    public async Task An_enrolment_is_found_exactly_as_inserted_at_version_1()
    {
        var store = await CreateStoreAsync();
        var record = Record("a", due: T0.AddDays(3)) with
        {
            Reason = NurtureEntryReason.WebinarNoShow,
            Segment = new SegmentId("smb"),
            Campaign = "webinar-2026-03",
            EnrolledAt = new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.FromHours(2)),
            PolicyVersion = "2.1.0",
            NextStep = 2,
            Version = 42, // the store sets 1
        };

        Assert.True(await store.TryInsertAsync(record));

        var found = await FindAsync(store, "a");
        Assert.Equal(record with { Version = 1 }, found);
        Assert.Equal("a:1", found.EnrolmentId);
        Assert.Equal(record with { Version = 1 }, Assert.Single(await ListLatestAsync(store)));
    }

    [Fact]
    public async Task The_policy_an_enrolment_and_a_step_were_made_under_is_kept_with_them()
    {
        var store = await CreateStoreAsync();
        var v2 = new Alignment.Models.ModelReference("acme-nurture", "2.0.0", new string('2', 64));
        var v3 = new Alignment.Models.ModelReference("acme-nurture", "3.0.0", new string('3', 64));
        var record = Record("a") with { PolicyVersion = v2.Version, Policy = v2 };
        var step = Sent("a", 1, 0, T0) with { Policy = v3 };

        Assert.True(await store.TryInsertAsync(record));
        Assert.Equal(record with { Version = 1 }, await FindAsync(store, "a"));
        Assert.True(await store.TryRecordSentAsync(step));
        Assert.True(await store.TryRecordSentAsync(Sent("a", 1, 1, T0.AddDays(7))));
        var successor = Record("a", 2, T0.AddDays(8)) with { PolicyVersion = v3.Version, Policy = v3 };
        Assert.True(await store.TryUpdateAsync(Ended(await FindAsync(store, "a")), 1, successor));

        Assert.Equal(successor with { Version = 1 }, await FindAsync(store, "a"));
        Assert.Equal([step, Sent("a", 1, 1, T0.AddDays(7))], await store.ListSentAsync(new LeadId("a")));
        Assert.Null((await store.ListSentAsync(new LeadId("a")))[1].Policy);
        Assert.True(await store.TryInsertAsync(Record("b")));
        Assert.Null((await FindAsync(store, "b")).Policy);
    }

    [Fact]
    public async Task A_lead_on_a_track_is_not_enrolled_again_even_when_contact_stopped()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryInsertAsync(Record("a")));

        Assert.False(await store.TryInsertAsync(Record("a", 2)));
        Assert.False(await store.TryInsertAsync(Record("a", 1) with { TrackId = "other" }));
        var stopped = (await FindAsync(store, "a")) with { Status = NurtureEnrolmentStatus.ContactStopped, NextDueAt = null, StatusReason = "unsubscribed" };
        Assert.True(await store.TryUpdateAsync(stopped, 1));
        Assert.False(await store.TryInsertAsync(Record("a", 2)));

        var found = await FindAsync(store, "a");
        Assert.Equal(stopped with { Version = 2 }, found);
        Assert.True(found.IsOnTrack);
    }

    [Fact]
    public async Task After_an_enrolment_ends_only_a_later_sequence_is_inserted()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryInsertAsync(Record("a")));
        Assert.True(await store.TryUpdateAsync(Ended(await FindAsync(store, "a")), 1));
        Assert.False((await FindAsync(store, "a")).IsOnTrack);

        Assert.False(await store.TryInsertAsync(Record("a", 1)));
        Assert.False(await store.TryInsertAsync(Record("a", 0)));
        Assert.Equal((1, NurtureEnrolmentStatus.Ended), ((await FindAsync(store, "a")).Sequence, (await FindAsync(store, "a")).Status));

        Assert.True(await store.TryInsertAsync(Record("a", 2, T0.AddDays(2)) with { Version = 7 }));
        Assert.Equal(Record("a", 2, T0.AddDays(2)) with { Version = 1 }, await FindAsync(store, "a"));
        Assert.Equal(["a"], Leads(await store.PeekDueAsync(T0.AddDays(2), 10)));
    }

    [Fact]
    public async Task An_update_applies_only_at_the_version_the_caller_read()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryInsertAsync(Record("a")));
        var read = await FindAsync(store, "a");
        var moved = read with { NextStep = 1, NextDueAt = T0.AddDays(7), Version = 99 }; // the store sets the version

        Assert.True(await store.TryUpdateAsync(moved, 1));
        Assert.Equal(moved with { Version = 2 }, await FindAsync(store, "a"));

        // A writer that read version 1 lost; so does one that guesses ahead, or one holding another sequence or lead.
        Assert.False(await store.TryUpdateAsync(read with { NextStep = 5 }, 1));
        Assert.False(await store.TryUpdateAsync(read with { NextStep = 5 }, 3));
        Assert.False(await store.TryUpdateAsync(read with { Sequence = 2, NextStep = 5 }, 2));
        Assert.False(await store.TryUpdateAsync(Record("nobody"), 1));
        Assert.Equal(moved with { Version = 2 }, await FindAsync(store, "a"));
        Assert.Null(await store.FindLatestAsync(new LeadId("nobody")));
    }

    [Fact]
    public async Task Concurrent_writers_exactly_one_wins_each_time()
    {
        var store = await CreateStoreAsync();

        // Eight instances enrol a new lead at once, each on another track: one enrolment is kept.
        var inserts = Enumerable.Range(0, 8).Select(i => Record("a") with { TrackId = "track-" + i }).ToArray();
        var inserted = await Task.WhenAll(inserts.Select(r => Task.Run(async () => await store.TryInsertAsync(r)))).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Single(inserted, saved => saved);
        Assert.Equal(inserts[Array.IndexOf(inserted, true)] with { Version = 1 }, await FindAsync(store, "a"));

        // Then they all move it on from version 1: one wins, and its state is what is stored.
        var read = await FindAsync(store, "a");
        var moves = Enumerable.Range(0, 8).Select(i => read with { NextStep = i + 1, NextDueAt = T0.AddDays(i + 1) }).ToArray();
        var updated = await Task.WhenAll(moves.Select(m => Task.Run(async () => await store.TryUpdateAsync(m, 1)))).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Single(updated, saved => saved);
        Assert.Equal(moves[Array.IndexOf(updated, true)] with { Version = 2 }, await FindAsync(store, "a"));
    }

    [Fact]
    public async Task A_track_change_ends_the_enrolment_and_inserts_its_successor_in_one_step()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryInsertAsync(Record("a")));
        var current = await FindAsync(store, "a");
        var successor = Record("a", 2, T0.AddDays(2)) with { TrackId = "t2", Reason = NurtureEntryReason.RecycledTiming, Version = 5 };

        Assert.False(await store.TryUpdateAsync(Ended(current, "moved to t2"), current.Version + 1, successor));
        Assert.Equal(current, await FindAsync(store, "a"));

        Assert.True(await store.TryUpdateAsync(Ended(current, "moved to t2"), current.Version, successor));
        Assert.Equal(successor with { Version = 1 }, await FindAsync(store, "a"));
        Assert.Equal("a:2", (await FindAsync(store, "a")).EnrolmentId);
        Assert.Empty(await store.PeekDueAsync(T0.AddDays(1), 10));
        Assert.Equal(["a"], Leads(await store.PeekDueAsync(T0.AddDays(2), 10)));
        Assert.Single(await ListLatestAsync(store));
    }

    [Fact]
    public async Task A_successor_that_is_not_the_next_enrolment_of_an_ended_one_is_refused_and_nothing_changes()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryInsertAsync(Record("a")));
        var current = await FindAsync(store, "a");

        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryUpdateAsync(current with { NextStep = 1 }, 1, Record("a", 2))); // still on its track
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryUpdateAsync(Ended(current), 1, Record("a", 3)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.TryUpdateAsync(Ended(current), 1, Record("b", 2)));

        Assert.Equal(current, await FindAsync(store, "a"));
        Assert.Null(await store.FindLatestAsync(new LeadId("b")));
    }

    [Fact]
    public async Task Due_enrolments_are_peeked_earliest_first_without_being_claimed()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryInsertAsync(Record("late", due: T0.AddDays(2))));
        Assert.True(await store.TryInsertAsync(Record("b", due: T0.AddHours(2)) with { NextStep = 3 }));
        Assert.True(await store.TryInsertAsync(Record("a", due: T0.AddHours(1))));

        var due = await store.PeekDueAsync(T0.AddDays(1), 10);

        Assert.Equal(
            [new NurtureDueItem(new LeadId("a"), "a:1", "t", 0, T0.AddHours(1)), new NurtureDueItem(new LeadId("b"), "b:1", "t", 3, T0.AddHours(2))],
            due);
        Assert.Equal(due, await store.PeekDueAsync(T0.AddDays(1), 10));
        Assert.Equal(["a"], Leads(await store.PeekDueAsync(T0.AddDays(1), 1)));
        Assert.Equal(["a"], Leads(await store.PeekDueAsync(T0.AddHours(1), 10))); // due at the instant itself
        Assert.Empty(await store.PeekDueAsync(T0.AddHours(1).AddSeconds(-1), 10));
        Assert.All(await ListLatestAsync(store), r => Assert.Equal((1, (string?)null), (r.Version, r.LeaseOwner)));
    }

    [Fact]
    public async Task Ended_enrolments_are_never_due_and_stopped_ones_only_while_they_have_a_due_time()
    {
        var store = await CreateStoreAsync();
        foreach (var lead in new[] { "ended", "stopped", "checked", "active" })
        {
            Assert.True(await store.TryInsertAsync(Record(lead)));
        }

        // Ended with a due time left on it: still never due.
        Assert.True(await store.TryUpdateAsync(Ended(await FindAsync(store, "ended")) with { NextDueAt = T0 }, 1));
        Assert.True(await store.TryUpdateAsync((await FindAsync(store, "stopped")) with { Status = NurtureEnrolmentStatus.ContactStopped, NextDueAt = null }, 1));
        Assert.True(await store.TryUpdateAsync((await FindAsync(store, "checked")) with { Status = NurtureEnrolmentStatus.ContactStopped, NextDueAt = T0.AddDays(7) }, 1));

        Assert.Equal(["active"], Leads(await store.PeekDueAsync(T0.AddDays(1), 10)));
        Assert.Equal(["active", "checked"], Leads(await store.PeekDueAsync(T0.AddYears(1), 10))); // exits of a stopped lead are still checked
        Assert.Equal(["active", "checked"], Leads(await store.ClaimDueAsync(T0.AddYears(1), 10, "w", T0.AddYears(2))));

        var listed = await ListLatestAsync(store);
        Assert.Equal(["active", "checked", "ended", "stopped"], Leads(listed).Order(StringComparer.Ordinal));
        Assert.Equal(["active", "checked", "stopped"], Leads(listed.Where(r => r.IsOnTrack)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_claim_leases_due_enrolments_earliest_first_and_bumps_their_version()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryInsertAsync(Record("c", due: T0.AddMinutes(3))));
        Assert.True(await store.TryInsertAsync(Record("a", due: T0.AddMinutes(1))));
        Assert.True(await store.TryInsertAsync(Record("b", due: T0.AddMinutes(2))));
        Assert.True(await store.TryInsertAsync(Record("later", due: T0.AddDays(1))));
        var lease = T0.AddHours(1);

        var first = await store.ClaimDueAsync(T0.AddMinutes(30), 2, "w1", lease);

        Assert.Equal(["a", "b"], Leads(first));
        Assert.All(first, r => Assert.Equal(("w1", lease, 2), (r.LeaseOwner, r.LeaseUntil, r.Version)));
        Assert.Equal(first[0], await FindAsync(store, "a"));
        Assert.Equal(Record("a", due: T0.AddMinutes(1)) with { LeaseOwner = "w1", LeaseUntil = lease, Version = 2 }, first[0]);
        Assert.Equal(["c"], Leads(await store.PeekDueAsync(T0.AddMinutes(30), 10)));
        Assert.Equal(["c"], Leads(await store.ClaimDueAsync(T0.AddMinutes(30), 10, "w2", lease)));
        Assert.Empty(await store.ClaimDueAsync(T0.AddMinutes(30), 10, "w3", lease));
        Assert.Empty(await store.PeekDueAsync(T0.AddMinutes(30), 10));
        Assert.Equal(1, (await FindAsync(store, "later")).Version);
    }

    [Fact]
    public async Task An_expired_lease_makes_the_enrolment_due_again_and_its_old_holder_cannot_write()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryInsertAsync(Record("a")));
        var first = Assert.Single(await store.ClaimDueAsync(T0, 10, "dead", T0.AddMinutes(5)));

        Assert.Empty(await store.ClaimDueAsync(T0.AddMinutes(4), 10, "other", T0.AddMinutes(10)));
        Assert.Empty(await store.PeekDueAsync(T0.AddMinutes(4), 10));
        Assert.Equal(["a"], Leads(await store.PeekDueAsync(T0.AddMinutes(5), 10)));
        var second = Assert.Single(await store.ClaimDueAsync(T0.AddMinutes(5), 10, "other", T0.AddMinutes(10)));

        Assert.Equal(("dead", 2), (first.LeaseOwner, first.Version));
        Assert.Equal(("other", T0.AddMinutes(10), 3), (second.LeaseOwner, second.LeaseUntil, second.Version));
        Assert.False(await store.TryUpdateAsync(first with { LeaseOwner = null, LeaseUntil = null, NextStep = 1 }, first.Version));
        Assert.Equal(second, await FindAsync(store, "a"));
    }

    [Fact]
    public async Task The_lease_holder_completes_a_step_by_clearing_the_lease_and_moving_the_due_time()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryInsertAsync(Record("a")));
        var claimed = Assert.Single(await store.ClaimDueAsync(T0, 10, "w", T0.AddMinutes(5)));
        var done = claimed with { LeaseOwner = null, LeaseUntil = null, NextStep = 1, NextDueAt = T0.AddDays(7) };

        Assert.True(await store.TryUpdateAsync(done, claimed.Version));

        Assert.Equal(done with { Version = 3 }, await FindAsync(store, "a"));
        Assert.Empty(await store.PeekDueAsync(T0.AddHours(1), 10)); // the lease is gone, and the next step is not due yet
        Assert.Empty(await store.ClaimDueAsync(T0.AddHours(1), 10, "other", T0.AddHours(2)));
        Assert.Equal([new NurtureDueItem(new LeadId("a"), "a:1", "t", 1, T0.AddDays(7))], await store.PeekDueAsync(T0.AddDays(7), 10));
    }

    [Fact]
    public async Task Concurrent_workers_never_claim_the_same_enrolment()
    {
        // Eight workers, each on a thread of its own and started together, claim one enrolment at a time until none is due (the
        // tightest race on claims), then complete what they claimed. Ten rounds of fresh enrolments give a race ten chances.
        const int Workers = 8, Rounds = 10, PerRound = 50;
        var store = await CreateStoreAsync();
        var claims = new ConcurrentBag<(string Lead, int Worker)>();
        var lostCompletions = new ConcurrentBag<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        for (int round = 0; round < Rounds; round++)
        {
            for (int i = 0; i < PerRound; i++)
            {
                Assert.True(await store.TryInsertAsync(Record($"r{round}-{i:000}", due: T0.AddHours(round).AddSeconds(i))));
            }

            var asOf = T0.AddHours(round).AddMinutes(30);
            using var start = new Barrier(Workers);
            var workers = Enumerable.Range(0, Workers).Select(w => Task.Factory.StartNew(
                async () =>
                {
                    Assert.True(start.SignalAndWait(TimeSpan.FromMinutes(1)), "the workers did not all start");
                    var mine = new List<NurtureEnrolmentRecord>();
                    for (int attempt = 0; attempt <= PerRound; attempt++)
                    {
                        var batch = await store.ClaimDueAsync(asOf, 1, "worker-" + w, asOf.AddHours(1), timeout.Token);
                        if (batch.Count == 0)
                        {
                            break;
                        }

                        mine.AddRange(batch);
                    }

                    foreach (var r in mine)
                    {
                        claims.Add((r.LeadId.Value, w));
                        var done = r with { LeaseOwner = null, LeaseUntil = null, NextStep = 1, NextDueAt = T0.AddDays(7) };
                        if (!await store.TryUpdateAsync(done, r.Version, null, null, timeout.Token))
                        {
                            lostCompletions.Add(r.LeadId.Value);
                        }
                    }
                },
                timeout.Token,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default).Unwrap()).ToArray();
            await Task.WhenAll(workers).WaitAsync(timeout.Token);
        }

        var claimedTwice = claims.GroupBy(c => c.Lead).Where(g => g.Count() > 1).Select(g => $"{g.Key} by {string.Join(", ", g.Select(c => c.Worker))}");
        Assert.Empty(claimedTwice);
        Assert.Equal(Rounds * PerRound, claims.Count);
        Assert.Empty(lostCompletions);
        Assert.Empty(await store.PeekDueAsync(T0.AddDays(1), 10));
        Assert.All(await ListLatestAsync(store), r => Assert.Equal((1, 3, (string?)null), (r.NextStep, r.Version, r.LeaseOwner)));
    }

    [Fact]
    public async Task A_sent_step_is_recorded_once_even_when_recorded_concurrently()
    {
        var store = await CreateStoreAsync();
        var sent = Sent("a", 1, 0, T0);

        Assert.True(await store.TryRecordSentAsync(sent));
        Assert.False(await store.TryRecordSentAsync(sent with { SentAt = T0.AddMinutes(1), ContentId = "other" }));
        Assert.True(await store.WasSentAsync("a:1", 0));
        Assert.False(await store.WasSentAsync("a:1", 1));
        Assert.False(await store.WasSentAsync("a:2", 0));
        Assert.Equal([sent], await store.ListSentAsync(new LeadId("a")));

        var racing = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () => await store.TryRecordSentAsync(Sent("a", 1, 1, T0.AddDays(7).AddSeconds(i)))))).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Single(racing, recorded => recorded);
        Assert.Equal(Sent("a", 1, 1, T0.AddDays(7).AddSeconds(Array.IndexOf(racing, true))), (await store.ListSentAsync(new LeadId("a")))[1]);
        Assert.Equal(2, (await store.ListSentAsync(new LeadId("a"))).Count);
    }

    [Fact]
    public async Task Sent_steps_are_listed_per_lead_oldest_first()
    {
        var store = await CreateStoreAsync();
        NurtureSentStep[] steps = [Sent("a", 1, 0, T0), Sent("a", 1, 1, T0.AddDays(7)), Sent("a", 2, 0, T0.AddDays(30))];
        foreach (var s in steps)
        {
            Assert.True(await store.TryRecordSentAsync(s));
        }

        Assert.True(await store.TryRecordSentAsync(Sent("b", 1, 0, T0.AddDays(1))));

        Assert.Equal(steps, await store.ListSentAsync(new LeadId("a")));
        Assert.Equal([Sent("b", 1, 0, T0.AddDays(1))], await store.ListSentAsync(new LeadId("b")));
    }

    [Fact]
    public async Task Sent_steps_recorded_out_of_order_are_still_listed_oldest_first()
    {
        var store = await CreateStoreAsync();
        var older = Sent("a", 1, 0, T0);
        var newer = Sent("a", 1, 1, T0.AddDays(7));

        Assert.True(await store.TryRecordSentAsync(newer));
        Assert.True(await store.TryRecordSentAsync(older));

        Assert.Equal([older, newer], await store.ListSentAsync(new LeadId("a")));
    }

    [Fact]
    public async Task Listing_returns_each_leads_latest_enrolment_once()
    {
        var store = await CreateStoreAsync();
        for (int i = 0; i < 20; i++)
        {
            Assert.True(await store.TryInsertAsync(Record($"lead-{i:00}", due: T0.AddMinutes(i))));
        }

        var first = await FindAsync(store, "lead-03");
        Assert.True(await store.TryUpdateAsync(Ended(first), 1, Record("lead-03", 2, T0.AddDays(1))));
        Assert.True(await store.TryUpdateAsync(Ended(await FindAsync(store, "lead-04")), 1));
        Assert.Single(await store.ClaimDueAsync(T0, 1, "w", T0.AddHours(1)));

        var all = await ListLatestAsync(store);

        Assert.Equal(20, all.Count);
        Assert.Equal(20, all.Select(r => r.LeadId).Distinct().Count());
        Assert.Equal(2, all.Single(r => r.LeadId.Value == "lead-03").Sequence);
        Assert.Equal(NurtureEnrolmentStatus.Ended, all.Single(r => r.LeadId.Value == "lead-04").Status);
        Assert.Equal("w", all.Single(r => r.LeadId.Value == "lead-00").LeaseOwner);
    }

    [Fact]
    public async Task Arguments_a_caller_gets_wrong_are_refused()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.TryInsertAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.TryUpdateAsync(null!, 1));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.TryRecordSentAsync(null!));
        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(async () => await store.PeekDueAsync(T0, 0));
        await Assert.ThrowsAnyAsync<ArgumentOutOfRangeException>(async () => await store.ClaimDueAsync(T0, 0, "w", T0.AddHours(1)));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.ClaimDueAsync(T0, 10, " ", T0.AddHours(1)));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.ClaimDueAsync(T0, 10, null!, T0.AddHours(1)));
    }

    [Fact]
    public async Task Every_call_honours_cancellation_and_a_cancelled_write_saves_nothing()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryInsertAsync(Record("a")));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var ct = cancelled.Token;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.TryInsertAsync(Record("b"), ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.TryUpdateAsync((await FindAsync(store, "a")) with { NextStep = 1 }, 1, null, null, ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.ClaimDueAsync(T0, 10, "w", T0.AddHours(1), ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.TryRecordSentAsync(Sent("a", 1, 0, T0), ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.FindLatestAsync(new LeadId("a"), ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.PeekDueAsync(T0, 10, ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.WasSentAsync("a:1", 0, ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.ListSentAsync(new LeadId("a"), ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in store.ListLatestAsync(ct))
            {
            }
        });

        Assert.Null(await store.FindLatestAsync(new LeadId("b")));
        Assert.Equal(Record("a") with { Version = 1 }, await FindAsync(store, "a"));
        Assert.False(await store.WasSentAsync("a:1", 0));
    }
}
