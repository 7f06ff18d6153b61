using System.Collections.Concurrent;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Scoring;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Conformance.Handoff;

/// <summary>
/// The <see cref="IRoutingStateStore"/> contract, written once: a lead's open handoff is returned, not decided again; a closed
/// one is decided afresh at the next epoch and kept as history; an expected epoch that is no longer current gets the current
/// handoff back; updates apply only at the current epoch; rep capacity is held while a handoff is assigned or touched, freed when
/// it closes or is replaced, and never exceeded, even by concurrent decisions; the service-level list is ordered by due time; and a
/// cancelled call or a decision that throws leaves nothing behind.
/// </summary>
/// <remarks>
/// A backend's test project derives one class from this suite: <see cref="CreateStoreAsync"/> makes an empty store (its own
/// schema, table or instance), and <see cref="ListHistoryAsync"/> reads the handoffs a lead had before its current one (the
/// interface promises to keep them but has no method to read them). The failing tests then say which part of the protocol a new
/// backend breaks. Decisions that need real counters and rotations go through <see cref="HandoffRouter"/>, the store's one
/// production caller; cases about the <c>decide</c> delegate itself (whether it runs, what it sees) pass one directly.
/// </remarks>
public abstract class RoutingStateStoreConformance
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly CompiledRoutingPolicy TwoReps = Policy(reps: 2);

    /// <summary>Makes a new, empty store: no two tests share one.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<IRoutingStateStore> CreateStoreAsync();

    /// <summary>Reads the handoffs a lead had before its current one, oldest first (empty when there are none).</summary>
    /// <param name="store">A store made by <see cref="CreateStoreAsync"/>.</param>
    /// <param name="leadId">The lead.</param>
    /// <returns>The replaced handoffs, as they stood when replaced.</returns>
    protected abstract ValueTask<IReadOnlyList<HandoffAssignment>> ListHistoryAsync(IRoutingStateStore store, LeadId leadId);

    private static CompiledRoutingPolicy Policy(int reps, int? cap = null, int maxReassignments = 0)
    {
        string repList = string.Join(", ", Enumerable.Range(0, reps).Select(i =>
            "{ \"id\": \"rep-" + i + "\", \"team\": \"ae\"" + (cap is { } c ? ", \"maxOpenLeads\": " + c : string.Empty) + " }"));
        string policy = """
            { "id": "conformance", "fallbackQueue": "unassigned",
              "rules": [ { "id": "rr", "strategy": "roundRobin", "pool": { "teams": ["ae"] }, "slaMinutes": 15, "escalation": { "maxReassignments": MAX } } ] }
            """.Replace("MAX", maxReassignments.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return CompiledRoutingPolicy.Load(policy, "{ \"reps\": [" + repList + "] }");
    }

    private static HandoffRequest Request(string id)
    {
        var lead = new Lead(new LeadId(id)) { Company = new CompanyProfile { Country = "GB" } };
        var card = new ScoreCard
        {
            LeadId = lead.Id, AsOf = T0, Total = 70, Fit = 35, Engagement = 35, Grade = Grade.B, State = QualificationState.MarketingQualified,
            Categories = [], Explanation = [], ModelId = "m", ModelVersion = "1", ModelHash = "0",
        };
        return new HandoffRequest(lead, card, null);
    }

    /// <summary>A handoff as a <c>decide</c> delegate returns it: the next epoch after <paramref name="current"/>.</summary>
    private static HandoffAssignment Handoff(string lead, HandoffAssignment? current, string? rep, HandoffStatus? status = null, DateTimeOffset? slaDueAt = null)
    {
        var id = new LeadId(lead);
        HandoffDecision decision = rep is null
            ? new HandoffDecision.Queued(id, "unassigned", "rr", "queued by the test")
            : new HandoffDecision.Assigned(id, new RepId(rep), "rr", "assigned by the test to " + rep);
        return new HandoffAssignment(decision, RoutingFacts.From(Request(lead)), (current?.Epoch ?? 0) + 1, T0, status ?? (rep is null ? HandoffStatus.Queued : HandoffStatus.Assigned))
        {
            PolicyId = "conformance",
            SlaDueAt = rep is null ? null : slaDueAt ?? T0.AddMinutes(15),
        };
    }

    private static HandoffRouter Router(CompiledRoutingPolicy policy, IRoutingStateStore store, TimeProvider time) =>
        new(policy, new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = time });

    private static async Task<int> OpenAsync(IRoutingStateStore store, string rep) => (await store.GetRepLoadAsync(new RepId(rep))).Open;

    [Fact]
    public async Task An_unknown_lead_is_not_found_and_an_unknown_rep_has_no_load()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.FindAsync(new LeadId("nobody")));
        Assert.Equal(default, await store.GetRepLoadAsync(new RepId("nobody")));
        Assert.Equal(default, await store.GetRepLoadAsync(new RepId("rep-0")));
        Assert.Empty(await store.ListAwaitingFirstTouchAsync());
        Assert.Empty(await ListHistoryAsync(store, new LeadId("nobody")));

        // Routing one lead creates counters for its rep only.
        using var router = Router(TwoReps, store, new FakeTimeProvider(T0));
        await router.RouteAsync(Request("a"));
        Assert.Equal(default, await store.GetRepLoadAsync(new RepId("nobody")));
        Assert.Equal(default, await store.GetRepLoadAsync(new RepId("rep-1")));
    }

    [Fact]
    public async Task A_first_decision_sees_no_handoff_and_is_found_exactly_as_decided()
    {
        var store = await CreateStoreAsync();
        HandoffAssignment? seen = Handoff("x", null, "rep-1");
        var decided = Handoff("l", null, "rep-0") with
        {
            Phase = RoutingPhase.Qualified,
            Qualification = true,
            Reassignments = 2,
            Escalated = true,
            FirstTouchAt = T0.AddMinutes(3),
            Note = "every field survives",
        };

        var saved = await store.DecideAsync(TwoReps, new LeadId("l"), null, (c, _) => { seen = c; return decided; });

        Assert.Null(seen);
        Assert.Equal(decided, saved);
        Assert.Equal(decided, await store.FindAsync(new LeadId("l")));
        Assert.Empty(await ListHistoryAsync(store, new LeadId("l")));
    }

    [Theory]
    [InlineData(HandoffStatus.Queued)]
    [InlineData(HandoffStatus.Assigned)]
    [InlineData(HandoffStatus.Touched)]
    public async Task An_open_handoff_is_returned_unchanged_without_deciding_again(HandoffStatus status)
    {
        var store = await CreateStoreAsync();
        var id = new LeadId("l");
        await store.DecideAsync(TwoReps, id, null, (c, _) => Handoff("l", c, status == HandoffStatus.Queued ? null : "rep-0"));
        var open = (await store.UpdateAsync(id, 1, a => a with { Status = status }))!;
        int calls = 0;

        // The router publishes a routing decision whenever decide runs: for an open handoff it must not run at all.
        var again = await store.DecideAsync(TwoReps, id, null, (c, _) => { calls++; return Handoff("l", c, "rep-1"); });

        Assert.Equal(0, calls);
        Assert.Equal(open, again);
        Assert.Equal(open, await store.FindAsync(id));
        Assert.Empty(await ListHistoryAsync(store, id));
    }

    [Theory]
    [InlineData(HandoffStatus.Accepted)]
    [InlineData(HandoffStatus.Rejected)]
    [InlineData(HandoffStatus.Recycled)]
    public async Task A_closed_handoff_is_decided_afresh_at_the_next_epoch_and_kept_as_history(HandoffStatus status)
    {
        var store = await CreateStoreAsync();
        var id = new LeadId("l");
        await store.DecideAsync(TwoReps, id, null, (c, _) => Handoff("l", c, "rep-0"));
        var closed = (await store.UpdateAsync(id, 1, a => a with { Status = status, ClosedAt = T0.AddHours(1) }))!;
        HandoffAssignment? seen = null;

        var next = await store.DecideAsync(TwoReps, id, null, (c, _) => { seen = c; return Handoff("l", c, "rep-1"); });

        Assert.Equal(closed, seen);
        Assert.Equal((2, "rep-1"), (next.Epoch, next.Rep!.Value.Value));
        Assert.Equal(next, await store.FindAsync(id));
        Assert.Equal([closed], await ListHistoryAsync(store, id));
    }

    [Fact]
    public async Task An_expected_epoch_replaces_only_that_handoff_and_the_history_is_kept_oldest_first()
    {
        var store = await CreateStoreAsync();
        var id = new LeadId("l");
        var first = await store.DecideAsync(TwoReps, id, null, (c, _) => Handoff("l", c, "rep-0"));
        var second = await store.DecideAsync(TwoReps, id, 1, (c, _) => Handoff("l", c, "rep-1"));
        int calls = 0;

        // Another host rerouted from epoch 1 first: this one gets the current handoff back, and decides nothing.
        var stale = await store.DecideAsync(TwoReps, id, 1, (c, _) => { calls++; return Handoff("l", c, "rep-0"); });
        var third = await store.DecideAsync(TwoReps, id, 2, (c, _) => Handoff("l", c, null));

        Assert.Equal(0, calls);
        Assert.Equal(second, stale);
        Assert.Equal((2, 3), (second.Epoch, third.Epoch));
        Assert.Equal(third, await store.FindAsync(id));
        Assert.Equal([first, second], await ListHistoryAsync(store, id));
        Assert.Empty(await ListHistoryAsync(store, new LeadId("other")));
    }

    [Fact]
    public async Task An_expected_epoch_for_a_lead_never_routed_throws_and_saves_nothing()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.DecideAsync(TwoReps, new LeadId("l"), 1, (c, _) => Handoff("l", c, "rep-0")));

        Assert.Null(await store.FindAsync(new LeadId("l")));
    }

    [Fact]
    public async Task A_decision_for_another_lead_or_epoch_is_refused_and_nothing_is_saved()
    {
        var store = await CreateStoreAsync();
        var id = new LeadId("l");

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.DecideAsync(TwoReps, id, null, (c, _) => Handoff("other", c, "rep-0")));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.DecideAsync(TwoReps, id, null, (c, _) => Handoff("l", c, "rep-0") with { Epoch = 2 }));
        Assert.Null(await store.FindAsync(id));
        Assert.Null(await store.FindAsync(new LeadId("other")));

        var first = await store.DecideAsync(TwoReps, id, null, (c, _) => Handoff("l", c, "rep-0"));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.DecideAsync(TwoReps, id, 1, (c, _) => Handoff("l", null, "rep-1")));
        Assert.Equal(first, await store.FindAsync(id));
        Assert.Empty(await ListHistoryAsync(store, id));
    }

    [Fact]
    public async Task An_update_applies_only_at_the_current_epoch_and_adds_no_history()
    {
        var store = await CreateStoreAsync();
        var id = new LeadId("l");
        var first = await store.DecideAsync(TwoReps, id, null, (c, _) => Handoff("l", c, "rep-0"));
        var second = await store.DecideAsync(TwoReps, id, 1, (c, _) => Handoff("l", c, "rep-1"));

        Assert.Null(await store.UpdateAsync(id, 1, a => a with { Note = "stale" }));
        Assert.Null(await store.UpdateAsync(id, 3, a => a with { Note = "future" }));
        Assert.Null(await store.UpdateAsync(new LeadId("nobody"), 1, a => a with { Note = "never routed" }));
        Assert.Equal(second, await store.FindAsync(id));
        Assert.Null(await store.FindAsync(new LeadId("nobody")));

        var touched = await store.UpdateAsync(id, 2, a => a with { Status = HandoffStatus.Touched, FirstTouchAt = T0.AddMinutes(5) });

        Assert.Equal(second with { Status = HandoffStatus.Touched, FirstTouchAt = T0.AddMinutes(5) }, touched);
        Assert.Equal(touched, await store.FindAsync(id));
        Assert.Equal([first], await ListHistoryAsync(store, id));
    }

    [Fact]
    public async Task An_update_that_changes_the_lead_or_epoch_is_refused_and_nothing_is_saved()
    {
        var store = await CreateStoreAsync();
        var id = new LeadId("l");
        var current = await store.DecideAsync(TwoReps, id, null, (c, _) => Handoff("l", c, "rep-0"));

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.UpdateAsync(id, 1, a => a with { Epoch = 2, Status = HandoffStatus.Accepted }));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.UpdateAsync(id, 1, _ => Handoff("other", null, "rep-0") with { Status = HandoffStatus.Accepted }));

        Assert.Equal(current, await store.FindAsync(id));
        Assert.Null(await store.FindAsync(new LeadId("other")));
    }

    [Fact]
    public async Task Capacity_is_held_while_assigned_or_touched_and_freed_when_accepted_rejected_or_recycled()
    {
        var store = await CreateStoreAsync();
        using var router = Router(Policy(reps: 1, cap: 3), store, new FakeTimeProvider(T0));
        foreach (var lead in new[] { "a", "b", "c" })
        {
            Assert.Equal("rep-0", (await router.RouteWithDetailsAsync(Request(lead))).Rep!.Value.Value);
        }

        var full = await router.RouteWithDetailsAsync(Request("d"));
        Assert.Equal("unassigned", Assert.IsType<HandoffDecision.Queued>(full.Decision).Queue);
        Assert.Equal(3, await OpenAsync(store, "rep-0"));

        await router.RecordFirstTouchAsync(new LeadId("a"));
        Assert.Equal(3, await OpenAsync(store, "rep-0"));
        await router.AcceptAsync(new LeadId("a"));
        Assert.Equal(2, await OpenAsync(store, "rep-0"));
        Assert.NotNull(await store.UpdateAsync(new LeadId("a"), 1, x => x with { Note = "accepted, then noted" })); // frees nothing more
        Assert.Equal(2, await OpenAsync(store, "rep-0"));
        Assert.Equal(HandoffStatus.Rejected, (await router.RejectAsync(new LeadId("b"), RejectionReason.BadData)).Status);
        Assert.Equal(1, await OpenAsync(store, "rep-0"));
        Assert.Equal(HandoffStatus.Recycled, (await router.RejectAsync(new LeadId("c"), RejectionReason.Timing, "next quarter")).Status);
        Assert.Equal(0, await OpenAsync(store, "rep-0"));

        // A new lead takes a freed seat.
        Assert.Equal("rep-0", (await router.RouteWithDetailsAsync(Request("e"))).Rep!.Value.Value);
        var load = await store.GetRepLoadAsync(new RepId("rep-0"));
        Assert.Equal((1, 4L), (load.Open, load.AssignedTotal));
    }

    [Fact]
    public async Task Replacing_a_handoff_frees_the_capacity_it_held()
    {
        var store = await CreateStoreAsync();
        var policy = Policy(reps: 1, cap: 1);
        using var router = Router(policy, store, new FakeTimeProvider(T0));
        var a = await router.RouteWithDetailsAsync(Request("a"));
        Assert.Equal(1, await OpenAsync(store, "rep-0"));

        var queued = await store.DecideAsync(policy, a.LeadId, a.Epoch, (c, _) => Handoff("a", c, null));

        Assert.Equal((2, HandoffStatus.Queued), (queued.Epoch, queued.Status));
        Assert.Equal(0, await OpenAsync(store, "rep-0"));
        Assert.Equal("rep-0", (await router.RouteWithDetailsAsync(Request("b"))).Rep!.Value.Value);
    }

    [Fact]
    public async Task A_missed_service_level_moves_the_lead_and_its_capacity_to_another_rep()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(T0);
        using var router = Router(Policy(reps: 2, cap: 1, maxReassignments: 1), store, time);
        var a = await router.RouteWithDetailsAsync(Request("a"));
        var b = await router.RouteWithDetailsAsync(Request("b"));
        var c = await router.RouteWithDetailsAsync(Request("c"));
        Assert.Equal(["rep-0", "rep-1"], new[] { a.Rep!.Value.Value, b.Rep!.Value.Value });
        Assert.Equal("unassigned", Assert.IsType<HandoffDecision.Queued>(c.Decision).Queue);
        await router.AcceptAsync(new LeadId("a"));
        Assert.Equal(HandoffStatus.Accepted, (await store.FindAsync(new LeadId("a")))!.Status);

        time.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(["b"], (await router.GetSlaReportAsync()).Breached.Select(e => e.LeadId.Value));
        var moved = Assert.Single(await router.ProcessSlaBreachesAsync());

        Assert.Equal(("rep-0", 2), (moved.Rep!.Value.Value, moved.Epoch)); // away from rep-1, who missed it
        Assert.Equal(moved, await store.FindAsync(new LeadId("b")));
        Assert.Equal((1, 0), (await OpenAsync(store, "rep-0"), await OpenAsync(store, "rep-1")));
        var missed = Assert.Single(await ListHistoryAsync(store, new LeadId("b")));
        Assert.Equal((1, "rep-1", true), (missed.Epoch, missed.Rep!.Value.Value, missed.Escalated));

        var rejected = await router.RejectAsync(new LeadId("b"), RejectionReason.Timing, "next quarter");
        Assert.Equal(rejected, await store.FindAsync(new LeadId("b")));
        Assert.Equal((RejectionReason.Timing, "next quarter"), (rejected.Rejection, rejected.Note));
        Assert.Equal(0, await OpenAsync(store, "rep-0"));
    }

    [Fact]
    public async Task Routing_again_after_each_outcome_reopens_only_closed_handoffs()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(T0);
        using var router = Router(Policy(reps: 2, cap: 2), store, time);
        string[] leads = ["recycled", "rejected", "accepted", "touched", "queued"];
        foreach (var id in leads)
        {
            await router.RouteAsync(Request(id));
        }

        await router.RejectAsync(new LeadId("recycled"), RejectionReason.NotNow);
        await router.RejectAsync(new LeadId("rejected"), RejectionReason.BadData);
        await router.AcceptAsync(new LeadId("accepted"));
        await router.RecordFirstTouchAsync(new LeadId("touched"));
        time.Advance(TimeSpan.FromHours(1));

        var trace = new List<string>();
        foreach (var id in leads.Append("recycled"))
        {
            var a = await router.RouteWithDetailsAsync(Request(id));
            var history = await ListHistoryAsync(store, a.LeadId);
            trace.Add($"{id}: {a.Epoch} {a.Status} | {string.Join(", ", history.Select(h => $"{h.Epoch} {h.Status}"))}");
        }

        Assert.Equal(
            [
                "recycled: 2 Assigned | 1 Recycled",
                "rejected: 2 Assigned | 1 Rejected",
                "accepted: 2 Assigned | 1 Accepted",
                "touched: 1 Touched | ",
                "queued: 1 Queued | ",
                "recycled: 2 Assigned | 1 Recycled",
            ],
            trace);
        Assert.Equal(T0.AddHours(1), (await store.FindAsync(new LeadId("accepted")))!.DecidedAt);
    }

    [Fact]
    public async Task Counters_follow_rep_ids_when_the_policy_is_loaded_again()
    {
        var store = await CreateStoreAsync();
        var time = new FakeTimeProvider(T0);
        using var before = Router(Policy(reps: 2, cap: 1), store, time);
        using var after = Router(Policy(reps: 2, cap: 1), store, time); // the same roster, loaded again by a host
        using var smaller = Router(Policy(reps: 1, cap: 1), store, time); // rep-1 left the roster

        Assert.Equal("rep-0", (await before.RouteWithDetailsAsync(Request("a"))).Rep!.Value.Value);
        Assert.Equal("rep-1", (await after.RouteWithDetailsAsync(Request("b"))).Rep!.Value.Value);
        Assert.Equal(HandoffStatus.Queued, (await after.RouteWithDetailsAsync(Request("c"))).Status);
        Assert.Equal(HandoffStatus.Queued, (await smaller.RouteWithDetailsAsync(Request("d"))).Status);

        await before.AcceptAsync(new LeadId("a"));
        await smaller.AcceptAsync(new LeadId("b")); // a rep who left still has the lead released
        Assert.Equal((0, 0), (await OpenAsync(store, "rep-0"), await OpenAsync(store, "rep-1")));
        var e = (await after.RouteWithDetailsAsync(Request("e"))).Rep!.Value.Value;
        Assert.Equal(e == "rep-0" ? (1, 0) : (0, 1), (await OpenAsync(store, "rep-0"), await OpenAsync(store, "rep-1")));
    }

    [Fact]
    public async Task Service_levels_awaiting_first_touch_are_listed_earliest_due_first()
    {
        var store = await CreateStoreAsync();
        foreach (var (lead, minutes) in new[] { ("l30", 30), ("l10", 10), ("l50", 50), ("l20", 20) })
        {
            await store.DecideAsync(TwoReps, new LeadId(lead), null, (c, _) => Handoff(lead, c, "rep-0", slaDueAt: T0.AddMinutes(minutes)));
        }

        await store.DecideAsync(TwoReps, new LeadId("queued"), null, (c, _) => Handoff("queued", c, null));
        await store.DecideAsync(TwoReps, new LeadId("touched"), null, (c, _) => Handoff("touched", c, "rep-1", HandoffStatus.Touched, T0.AddMinutes(1)));
        await store.DecideAsync(TwoReps, new LeadId("accepted"), null, (c, _) => Handoff("accepted", c, "rep-1", HandoffStatus.Accepted, T0.AddMinutes(2)));

        Assert.Equal(["l10", "l20", "l30", "l50"], (await store.ListAwaitingFirstTouchAsync()).Select(a => a.LeadId.Value));

        await store.UpdateAsync(new LeadId("l10"), 1, a => a with { Status = HandoffStatus.Touched, FirstTouchAt = T0.AddMinutes(5) });
        await store.DecideAsync(TwoReps, new LeadId("l50"), 1, (c, _) => Handoff("l50", c, "rep-1", slaDueAt: T0.AddMinutes(5)));
        var listed = await store.ListAwaitingFirstTouchAsync();
        Assert.Equal(["l50", "l20", "l30"], listed.Select(a => a.LeadId.Value));
        Assert.Equal(await store.FindAsync(new LeadId("l50")), listed[0]);
    }

    [Fact]
    public async Task A_reps_open_handoffs_are_the_assigned_and_the_touched_ones_earliest_due_first()
    {
        var store = await CreateStoreAsync();
        await store.DecideAsync(TwoReps, new LeadId("b-due-30"), null, (c, _) => Handoff("b-due-30", c, "rep-0", slaDueAt: T0.AddMinutes(30)));
        await store.DecideAsync(TwoReps, new LeadId("a-due-10"), null, (c, _) => Handoff("a-due-10", c, "rep-0", slaDueAt: T0.AddMinutes(10)));
        await store.DecideAsync(TwoReps, new LeadId("touched"), null, (c, _) => Handoff("touched", c, "rep-0", HandoffStatus.Touched, T0.AddMinutes(20)));
        await store.DecideAsync(TwoReps, new LeadId("no-sla"), null, (c, _) => Handoff("no-sla", c, "rep-0") with { SlaDueAt = null });
        await store.DecideAsync(TwoReps, new LeadId("accepted"), null, (c, _) => Handoff("accepted", c, "rep-0", HandoffStatus.Accepted, T0.AddMinutes(1)));
        await store.DecideAsync(TwoReps, new LeadId("rejected"), null, (c, _) => Handoff("rejected", c, "rep-0", HandoffStatus.Rejected, T0.AddMinutes(1)));
        await store.DecideAsync(TwoReps, new LeadId("other-rep"), null, (c, _) => Handoff("other-rep", c, "rep-1", slaDueAt: T0.AddMinutes(5)));
        await store.DecideAsync(TwoReps, new LeadId("queued"), null, (c, _) => Handoff("queued", c, null));

        var open = await store.ListOpenAsync(new RepId("rep-0"));

        Assert.Equal(["a-due-10", "touched", "b-due-30", "no-sla"], open.Select(a => a.LeadId.Value));
        Assert.Equal(await store.FindAsync(new LeadId("touched")), open[1]);
        Assert.Equal(["other-rep"], (await store.ListOpenAsync(new RepId("rep-1"))).Select(a => a.LeadId.Value));
        Assert.Empty(await store.ListOpenAsync(new RepId("nobody")));
    }

    [Fact]
    public async Task Concurrent_routing_never_exceeds_a_cap_and_never_decides_a_lead_twice()
    {
        // Eight routers share the store; two at a time route the same 50 leads in the same order, so every lead is raced.
        const int Tasks = 8, PerTask = 50, Reps = 4, Cap = 30;
        var store = await CreateStoreAsync();
        var policy = Policy(Reps, Cap);
        var time = new FakeTimeProvider(T0);
        var routers = Enumerable.Range(0, Tasks).Select(_ => Router(policy, new HostDecisions(store) { Slow = true }, time)).ToArray();
        var results = new ConcurrentDictionary<string, ConcurrentBag<HandoffAssignment>>(StringComparer.Ordinal);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        using var start = new Barrier(Tasks);

        // Each router gets a thread of its own, and all start together: a store whose calls complete synchronously still sees
        // them interleaved (on a thread pool task, one router could run all its leads before the next one starts).
        var workers = Enumerable.Range(0, Tasks).Select(w => Task.Factory.StartNew(
            async () =>
            {
                Assert.True(start.SignalAndWait(TimeSpan.FromMinutes(1)), "the routers did not all start");
                for (int k = 0; k < PerTask; k++)
                {
                    string id = $"lead-{(w / 2 * PerTask) + k:000}";
                    var a = await routers[w].RouteWithDetailsAsync(Request(id), timeout.Token);
                    results.GetOrAdd(id, _ => []).Add(a);
                }
            },
            timeout.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap()).ToArray();
        await Task.WhenAll(workers).WaitAsync(timeout.Token);
        foreach (var router in routers)
        {
            router.Dispose();
        }

        int leads = Tasks / 2 * PerTask;
        Assert.Equal(leads, results.Count);
        var held = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (id, seen) in results)
        {
            var first = seen.First();
            Assert.All(seen, a => Assert.Equal(first, a));
            Assert.Equal(1, first.Epoch);
            Assert.Equal(first, await store.FindAsync(new LeadId(id)));
            Assert.Empty(await ListHistoryAsync(store, new LeadId(id)));
            if (first.Rep is { } rep)
            {
                held[rep.Value] = held.GetValueOrDefault(rep.Value) + 1;
            }
        }

        Assert.Equal(Reps * Cap, held.Values.Sum()); // every seat filled, the other leads queued
        for (int r = 0; r < Reps; r++)
        {
            var load = await store.GetRepLoadAsync(new RepId($"rep-{r}"));
            int count = held.GetValueOrDefault($"rep-{r}");
            Assert.True(count <= Cap, $"rep-{r} holds {count} leads, over its cap of {Cap}");
            Assert.Equal((count, count), (load.Open, (int)load.AssignedTotal));
        }
    }

    [Fact]
    public async Task Every_call_honours_cancellation_and_a_cancelled_decision_saves_nothing()
    {
        var store = await CreateStoreAsync();
        using var router = Router(TwoReps, store, new FakeTimeProvider(T0));
        var a = await router.RouteWithDetailsAsync(Request("a"));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var ct = cancelled.Token;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.DecideAsync(TwoReps, new LeadId("b"), null, (c, _) => Handoff("b", c, "rep-1"), ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.DecideAsync(TwoReps, a.LeadId, 1, (c, _) => Handoff("a", c, null), ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await router.RouteAsync(Request("c"), ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.UpdateAsync(a.LeadId, 1, x => x with { Status = HandoffStatus.Accepted }, cancellationToken: ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.FindAsync(a.LeadId, ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.ListAwaitingFirstTouchAsync(ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.GetRepLoadAsync(new RepId("rep-0"), ct));

        Assert.Null(await store.FindAsync(new LeadId("b")));
        Assert.Null(await store.FindAsync(new LeadId("c")));
        Assert.Equal(a, await store.FindAsync(a.LeadId));
        Assert.Empty(await ListHistoryAsync(store, a.LeadId));
        Assert.Equal((1, 0), (await OpenAsync(store, "rep-0"), await OpenAsync(store, "rep-1")));
    }

    [Fact]
    public async Task A_decision_that_throws_leaves_nothing_behind_and_the_store_stays_usable()
    {
        var store = await CreateStoreAsync();
        var policy = Policy(reps: 2, cap: 1);
        var failing = new HostDecisions(store);
        using var router = Router(policy, failing, new FakeTimeProvider(T0));

        // The router decides for real (a rep's counters and the rotation move), then the host fails before the store saves.
        failing.Fail = true;
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await router.RouteAsync(Request("a")));
        Assert.Equal(HostDecisions.Message, ex.Message);
        Assert.Null(await store.FindAsync(new LeadId("a")));
        Assert.Equal(default, await store.GetRepLoadAsync(new RepId("rep-0")));
        Assert.Equal(default, await store.GetRepLoadAsync(new RepId("rep-1")));

        failing.Fail = false;
        var a = await router.RouteWithDetailsAsync(Request("a"));
        Assert.Equal(("rep-0", 1), (a.Rep!.Value.Value, a.Epoch)); // the failed decision did not move the rotation either
        Assert.Equal(1, await OpenAsync(store, "rep-0"));

        // A replacement that fails keeps the current handoff and the seat it holds (the store freed it only to decide).
        failing.Fail = true;
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await failing.DecideAsync(policy, a.LeadId, a.Epoch, (c, _) => Handoff("a", c, null)));
        Assert.Equal(a, await store.FindAsync(a.LeadId));
        Assert.Empty(await ListHistoryAsync(store, a.LeadId));
        Assert.Equal(1, await OpenAsync(store, "rep-0"));

        failing.Fail = false;
        Assert.Equal("rep-1", (await router.RouteWithDetailsAsync(Request("b"))).Rep!.Value.Value);
        Assert.Equal(HandoffStatus.Queued, (await router.RouteWithDetailsAsync(Request("c"))).Status);
        Assert.Equal((1, 1), (await OpenAsync(store, "rep-0"), await OpenAsync(store, "rep-1")));
    }

    [Fact]
    public async Task Null_arguments_are_refused()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.DecideAsync(null!, new LeadId("l"), null, (c, _) => Handoff("l", c, "rep-0")));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.DecideAsync(TwoReps, new LeadId("l"), null, null!));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.UpdateAsync(new LeadId("l"), 1, null!));
        Assert.Null(await store.FindAsync(new LeadId("l")));
    }

    /// <summary>
    /// The store as a host's decisions reach it: with <see cref="Fail"/>, the host fails after deciding but before the store saved
    /// (the decide delegate throws); with <see cref="Slow"/>, each decision takes a millisecond, which widens any window a store
    /// leaves between reading a lead's state and saving the decision.
    /// </summary>
    private sealed class HostDecisions(IRoutingStateStore inner) : IRoutingStateStore
    {
        public bool RecordsDecisions => inner.RecordsDecisions;

        public const string Message = "the host failed mid-decision";

        public bool Fail { get; set; }

        public bool Slow { get; init; }

        public ValueTask<HandoffAssignment?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default) => inner.FindAsync(leadId, cancellationToken);

        public ValueTask<HandoffAssignment> DecideAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default) =>
            inner.DecideAsync(policy, leadId, expectedEpoch, (current, state) =>
            {
                if (Slow)
                {
                    Thread.Sleep(1);
                }

                var next = decide(current, state);
                return Fail ? throw new InvalidOperationException(Message) : next;
            }, cancellationToken);

        public ValueTask<HandoffAssignment?> UpdateAsync(LeadId leadId, int expectedEpoch, Func<HandoffAssignment, HandoffAssignment> update, Func<HandoffAssignment, HandoffAssignment, AlignmentDecision?>? decision = null, CancellationToken cancellationToken = default) =>
            inner.UpdateAsync(leadId, expectedEpoch, update, decision, cancellationToken);

        public ValueTask<IReadOnlyList<HandoffAssignment>> ListAwaitingFirstTouchAsync(CancellationToken cancellationToken = default) => inner.ListAwaitingFirstTouchAsync(cancellationToken);

        public ValueTask<IReadOnlyList<HandoffAssignment>> ListOpenAsync(RepId rep, CancellationToken cancellationToken = default) => inner.ListOpenAsync(rep, cancellationToken);

        public ValueTask<RepLoad> GetRepLoadAsync(RepId rep, CancellationToken cancellationToken = default) => inner.GetRepLoadAsync(rep, cancellationToken);
    }
}
