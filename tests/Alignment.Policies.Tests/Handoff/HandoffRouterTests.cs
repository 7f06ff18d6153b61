using Alignment.Decisions;
using Alignment.Diagnostics;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Nurture;
using Alignment.Policies.Tests.Nurture.TestDoubles;
using Alignment.Scoring;
using Microsoft.Extensions.Time.Testing;
using static Alignment.Policies.Tests.Handoff.HandoffTestData;

namespace Alignment.Policies.Tests.Handoff;

public sealed class HandoffRouterTests
{
    internal sealed class RecordingEscalations : IHandoffEscalationHandler
    {
        public List<HandoffEscalation> Seen { get; } = [];

        public ValueTask NotifyAsync(HandoffEscalation escalation, CancellationToken cancellationToken = default)
        {
            Seen.Add(escalation);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class RecordingNurture : INurturePolicy
    {
        public List<(LeadId Lead, NurtureEntryReason Reason)> Enrolled { get; } = [];

        public ValueTask<NurtureEnrolment> EnrolAsync(Lead lead, NurtureEntryReason reason, CancellationToken cancellationToken = default)
        {
            Enrolled.Add((lead.Id, reason));
            return ValueTask.FromResult(new NurtureEnrolment(lead.Id, "recycle", reason, Monday10Utc, 0, null));
        }
    }

    internal static CompiledRoutingPolicy Policy(int maxReassignments = 2) => Compile(
        [Rep("a") with { Manager = "boss" }, Rep("b") with { Manager = "boss" }, Rep("c") with { Manager = "boss" }, Rep("isr", team: "inside")],
        Rule("qualify", RoutingStrategies.RoundRobin, "inside") with { Qualification = true, Match = new() { Sources = ["Webinar"] } },
        Rule("hot", RoutingStrategies.RoundRobin, "ae") with
        {
            Match = new() { States = ["hot"] },
            SlaMinutes = 15,
            Escalation = new() { NotifyManager = true, MaxReassignments = maxReassignments, Queue = "sla-missed" },
        },
        Rule("rest", RoutingStrategies.RoundRobin, "ae"));

    [Fact]
    public void Constructor_MissingRequiredServices_NamesTheMember()
    {
        var sink = new InMemoryDecisionSink();

        Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => new HandoffRouter(Policy(), null!)).ParamName);
        Assert.Equal("services.Store", Assert.Throws<ArgumentNullException>(() => new HandoffRouter(Policy(), new HandoffRouterServices { Store = null!, Decisions = sink })).ParamName);
        Assert.Equal("services.Decisions", Assert.Throws<ArgumentNullException>(() => new HandoffRouter(Policy(), new HandoffRouterServices { Store = new InMemoryRoutingStateStore(), Decisions = null! })).ParamName);
        Assert.Equal("services.TimeProvider", Assert.Throws<ArgumentNullException>(() => new HandoffRouter(Policy(), new HandoffRouterServices { Store = new InMemoryRoutingStateStore(), Decisions = sink, TimeProvider = null! })).ParamName);
    }

    [Fact]
    public async Task RouteAsync_SameLeadTwice_ReturnsTheSameDecisionAndPublishesOnce()
    {
        var sink = new InMemoryDecisionSink();
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = new InMemoryRoutingStateStore(), Decisions = sink, TimeProvider = new FakeTimeProvider(Monday10Utc) });

        var first = await router.RouteAsync(Request("1"));
        var second = await router.RouteAsync(Request("1"));

        Assert.Same(first, second);
        Assert.Single(sink.Decisions.OfType<AlignmentDecision.Routed>());
    }

    [Fact]
    public async Task WithAnOutbox_TheRouterPublishesNothingItself_AndTheRelayDeliversTheSameDecisionsWithKeysInOrder()
    {
        var time = new FakeTimeProvider(Monday10Utc);
        var direct = new InMemoryDecisionSink();
        var plain = new InMemoryDecisionSink();
        var outbox = new InMemoryDecisionOutbox();
        using var recording = new HandoffRouter(Policy(maxReassignments: 1), new HandoffRouterServices { Store = new InMemoryRoutingStateStore(outbox), Decisions = direct, TimeProvider = time });
        using var publishing = new HandoffRouter(Policy(maxReassignments: 1), new HandoffRouterServices { Store = new InMemoryRoutingStateStore(), Decisions = plain, TimeProvider = time });
        foreach (var router in new[] { recording, publishing })
        {
            await router.RouteAsync(Request("hot-1", QualificationState.Hot));
            await router.RouteAsync(Request("hot-1", QualificationState.Hot)); // open: no new decision
            await router.RouteAsync(Request("2"));
        }

        time.Advance(TimeSpan.FromMinutes(16));
        await recording.ProcessSlaBreachesAsync();
        await publishing.ProcessSlaBreachesAsync();

        Assert.Empty(direct.Decisions);
        var relayed = new InMemoryDecisionSink();
        Assert.Equal(4, await new DecisionRelay(outbox, relayed).DeliverPendingAsync());
        Assert.Equal(["routed:hot-1:1", "routed:2:1", "sla-breached:hot-1:1", "routed:hot-1:2"], relayed.Decisions.Select(d => d.IdempotencyKey));
        Assert.Equal(plain.Decisions, relayed.Decisions.Select(d => d with { IdempotencyKey = null }));
    }

    [Fact]
    public async Task Sla_UpcomingThenBreached_EscalatesReassignsAtMostNTimesThenQueues()
    {
        var time = new FakeTimeProvider(Monday10Utc);
        var sink = new InMemoryDecisionSink();
        var escalations = new RecordingEscalations();
        using var router = new HandoffRouter(Policy(maxReassignments: 2), new HandoffRouterServices { Store = new InMemoryRoutingStateStore(), Decisions = sink, TimeProvider = time, Escalation = escalations });

        var first = await router.RouteWithDetailsAsync(Request("hot-1", QualificationState.Hot));
        Assert.Equal(Monday10Utc.AddMinutes(15), first.SlaDueAt);
        time.Advance(TimeSpan.FromMinutes(10));
        var report = await router.GetSlaReportAsync(TimeSpan.FromMinutes(10));
        Assert.Equal(TimeSpan.FromMinutes(5), Assert.Single(report.Upcoming).Remaining);
        Assert.Empty(report.Breached);

        var reps = new List<string> { first.Rep!.Value.Value };
        for (int i = 0; i < 2; i++)
        {
            time.Advance(TimeSpan.FromMinutes(16));
            Assert.Single((await router.GetSlaReportAsync()).Breached);
            var moved = Assert.Single(await router.ProcessSlaBreachesAsync());
            reps.Add(moved.Rep!.Value.Value);
            Assert.Equal(i + 1, moved.Reassignments);
        }

        time.Advance(TimeSpan.FromMinutes(16));
        var last = Assert.Single(await router.ProcessSlaBreachesAsync());

        Assert.Equal(["a", "b", "c"], reps); // never back to the rep who just missed it
        Assert.Equal("sla-missed", Assert.IsType<HandoffDecision.Queued>(last.Decision).Queue);
        Assert.Equal(3, escalations.Seen.Count);
        Assert.All(escalations.Seen, e => Assert.Equal("boss", e.Manager?.Value));
        Assert.Equal(3, sink.Decisions.OfType<AlignmentDecision.SlaBreached>().Count());
        Assert.Empty(await router.ProcessSlaBreachesAsync()); // handled once
    }

    [Fact]
    public async Task ActsByRep_AfterSlaReassignment_OnlyTheNewOwnerCanTouchAcceptOrReject()
    {
        var time = new FakeTimeProvider(Monday10Utc);
        var lifecycle = new InMemoryLifecycleStore();
        await lifecycle.TrySaveAsync(LeadLifecycle.Start(new LeadId("hot-2")).Transition(LifecycleStage.MarketingQualified, Monday10Utc.AddDays(-1), LifecycleActor.System, "score 90"), 0);
        var store = new InMemoryRoutingStateStore();
        using var router = new HandoffRouter(Policy(maxReassignments: 2), new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = time, Lifecycle = lifecycle });

        var first = await router.RouteWithDetailsAsync(Request("hot-2", QualificationState.Hot));
        time.Advance(TimeSpan.FromMinutes(16));
        var moved = Assert.Single(await router.ProcessSlaBreachesAsync());
        var oldRep = first.Rep!.Value;
        var newRep = moved.Rep!.Value;
        Assert.NotEqual(oldRep, newRep);

        // The rep who missed the SLA touches, accepts or rejects late: refused, and the new owner's handoff is untouched.
        var touch = await Assert.ThrowsAsync<InvalidOperationException>(async () => await router.RecordFirstTouchAsync(new LeadId("hot-2"), oldRep));
        Assert.Contains($"is with rep {newRep}", touch.Message, StringComparison.Ordinal);
        Assert.Contains($"not with {oldRep}", touch.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await router.AcceptAsync(new LeadId("hot-2"), oldRep));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await router.RejectAsync(new LeadId("hot-2"), RejectionReason.NotNow, by: oldRep));
        var current = (await store.FindAsync(new LeadId("hot-2")))!;
        Assert.Equal((HandoffStatus.Assigned, (DateTimeOffset?)null, moved.Epoch), (current.Status, current.FirstTouchAt, current.Epoch));
        Assert.Equal(LifecycleStage.MarketingQualified, (await lifecycle.FindAsync(new LeadId("hot-2")))!.Stage);

        // The new owner can.
        var touched = await router.RecordFirstTouchAsync(new LeadId("hot-2"), newRep);
        Assert.Equal(HandoffStatus.Touched, touched.Status);
        var accepted = await router.AcceptAsync(new LeadId("hot-2"), newRep);
        Assert.Equal(HandoffStatus.Accepted, accepted.Status);
        Assert.Equal(LifecycleStage.SalesAccepted, (await lifecycle.FindAsync(new LeadId("hot-2")))!.Stage);
    }

    /// <summary>Lets another writer accept the lead between the router's read and its update, like a second worker.</summary>
    private sealed class InterleavingStore(IRoutingStateStore inner, Func<IRoutingStateStore, ValueTask> between) : IRoutingStateStore
    {
        public bool RecordsDecisions => inner.RecordsDecisions;

        private int _updates;

        public ValueTask<HandoffAssignment?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default) => inner.FindAsync(leadId, cancellationToken);

        public ValueTask<HandoffAssignment> DecideAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default) =>
            inner.DecideAsync(policy, leadId, expectedEpoch, decide, cancellationToken);

        public async ValueTask<HandoffAssignment?> UpdateAsync(LeadId leadId, int expectedEpoch, Func<HandoffAssignment, HandoffAssignment> update, Func<HandoffAssignment, HandoffAssignment, AlignmentDecision?>? decision = null, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _updates) == 1)
            {
                await between(inner);
            }

            return await inner.UpdateAsync(leadId, expectedEpoch, update, decision, cancellationToken);
        }

        public ValueTask<IReadOnlyList<HandoffAssignment>> ListAwaitingFirstTouchAsync(CancellationToken cancellationToken = default) => inner.ListAwaitingFirstTouchAsync(cancellationToken);

        public ValueTask<IReadOnlyList<HandoffAssignment>> ListOpenAsync(RepId rep, CancellationToken cancellationToken = default) => inner.ListOpenAsync(rep, cancellationToken);

        public ValueTask<RepLoad> GetRepLoadAsync(RepId rep, CancellationToken cancellationToken = default) => inner.GetRepLoadAsync(rep, cancellationToken);
    }

    [Fact]
    public async Task RejectAsync_WhenAnotherWorkerAcceptedMeanwhile_IsRefused_AndNothingDisagrees()
    {
        var lifecycle = new InMemoryLifecycleStore();
        await lifecycle.TrySaveAsync(LeadLifecycle.Start(new LeadId("r1")).Transition(LifecycleStage.MarketingQualified, Monday10Utc.AddDays(-1), LifecycleActor.System, "score 70"), 0);
        var inner = new InMemoryRoutingStateStore();
        var store = new InterleavingStore(inner, async s =>
        {
            var now = await s.FindAsync(new LeadId("r1"));
            await s.UpdateAsync(new LeadId("r1"), now!.Epoch, a => a with { Status = HandoffStatus.Accepted, ClosedAt = Monday10Utc });
        });
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Monday10Utc), Lifecycle = lifecycle });
        await router.RouteWithDetailsAsync(Request("r1"));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await router.RejectAsync(new LeadId("r1"), RejectionReason.NotNow));

        Assert.Equal("Lead r1 was already ACCEPTED; it cannot be rejected.", ex.Message);
        Assert.Equal(HandoffStatus.Accepted, (await inner.FindAsync(new LeadId("r1")))!.Status);
        Assert.Equal(LifecycleStage.MarketingQualified, (await lifecycle.FindAsync(new LeadId("r1")))!.Stage); // not recycled
    }

    [Fact]
    public async Task AcceptAsync_MovesTheLeadToSalAndFreesCapacity()
    {
        var lifecycle = new InMemoryLifecycleStore();
        await lifecycle.TrySaveAsync(LeadLifecycle.Start(new LeadId("1")).Transition(LifecycleStage.MarketingQualified, Monday10Utc.AddDays(-1), LifecycleActor.System, "score 70"), 0);
        var store = new InMemoryRoutingStateStore();
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Monday10Utc), Lifecycle = lifecycle });

        var routed = await router.RouteWithDetailsAsync(Request("1"));
        Assert.Equal(1, (await store.GetRepLoadAsync(routed.Rep!.Value)).Open);
        var accepted = await router.AcceptAsync(new LeadId("1"));

        Assert.Equal(HandoffStatus.Accepted, accepted.Status);
        Assert.Equal(0, (await store.GetRepLoadAsync(routed.Rep!.Value)).Open);
        Assert.Equal(LifecycleStage.SalesAccepted, (await lifecycle.FindAsync(new LeadId("1")))!.Stage);
    }

    [Fact]
    public async Task RejectAsync_TimingRecyclesToNurtureOtherReasonsDisqualify()
    {
        var lifecycle = new InMemoryLifecycleStore();
        var nurture = new RecordingNurture();
        using var meters = new ScopedMeterFactory();
        var recycled = new List<(long Value, Dictionary<string, object?> Tags)>();
        using var listener = meters.Listen(AlignmentDiagnostics.MeterName, "alignment.leads.recycled", recycled);
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = new InMemoryRoutingStateStore(), Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Monday10Utc), Lifecycle = lifecycle, Nurture = nurture, MeterFactory = meters });
        using var bystander = new HandoffRouter(Policy(), new HandoffRouterServices { Store = new InMemoryRoutingStateStore(), Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Monday10Utc) }); // its own "Alignment" meter, as in a parallel test
        await router.RouteAsync(Request("later"));
        await router.RouteAsync(Request("junk"));
        await bystander.RouteAsync(Request("elsewhere"));
        await bystander.RejectAsync(new LeadId("elsewhere"), RejectionReason.Timing);

        var later = await router.RejectAsync(new LeadId("later"), RejectionReason.NotNow, "budget opens in Q3");
        var junk = await router.RejectAsync(new LeadId("junk"), RejectionReason.BadData);

        Assert.Equal(HandoffStatus.Recycled, later.Status);
        Assert.Equal("budget opens in Q3", later.Note);
        Assert.Equal(HandoffStatus.Rejected, junk.Status);
        Assert.Equal(RejectionReason.BadData, junk.Rejection);
        var laterLife = (await lifecycle.FindAsync(new LeadId("later")))!;
        Assert.Equal(LifecycleStage.Recycled, laterLife.Stage);
        Assert.Equal("rejected by sales: not-now (budget opens in Q3)", laterLife.History[^1].Reason);
        Assert.Equal(LifecycleStage.Disqualified, (await lifecycle.FindAsync(new LeadId("junk")))!.Stage);
        Assert.Equal([(new LeadId("later"), NurtureEntryReason.RecycledTiming)], nurture.Enrolled);
        var measurement = Assert.Single(recycled);
        Assert.Equal(1, measurement.Value);
        Assert.Equal("not-now", measurement.Tags["reason"]);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await router.RejectAsync(new LeadId("junk"), RejectionReason.Duplicate));
    }

    [Fact]
    public async Task RejectAsync_RecycleWithTheRealNurtureEngine_PublishesExactlyOneEnrolledDecision()
    {
        var h = new NurtureHarness();
        var lead = h.AddLead("recycle-once");
        await h.Lifecycles.TrySaveAsync(LeadLifecycle.Start(lead.Id).Transition(LifecycleStage.MarketingQualified, h.Time.GetUtcNow(), LifecycleActor.System, "score 70"), 0);
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = new InMemoryRoutingStateStore(), Decisions = h.Decisions, TimeProvider = h.Time, Lifecycle = h.Lifecycles, Nurture = h.Engine, MeterFactory = h.MeterFactory });
        await router.RouteAsync(Request("recycle-once"));

        await router.RejectAsync(lead.Id, RejectionReason.Timing, "next quarter");

        var enrolled = Assert.Single(h.Decisions.Decisions.OfType<AlignmentDecision.Enrolled>());
        Assert.Equal(lead.Id, enrolled.Enrolment.LeadId);
        Assert.Equal(NurtureEntryReason.RecycledTiming, enrolled.Enrolment.Reason);
        Assert.Equal(enrolled.Enrolment.TrackId, (await h.Store.FindLatestAsync(lead.Id))!.TrackId);
        Assert.Equal(LifecycleStage.Recycled, (await h.LifecycleOf(lead.Id)).Stage);
    }

    [Fact]
    public async Task RouteAsync_AfterSalesRecycledTheHandoff_RoutesAfreshAndKeepsTheClosedOneAsHistory()
    {
        var sink = new InMemoryDecisionSink();
        var store = new InMemoryRoutingStateStore();
        var time = new FakeTimeProvider(Monday10Utc);
        using var meters = new ScopedMeterFactory();
        var routed = new List<(long Value, Dictionary<string, object?> Tags)>();
        using var listener = meters.Listen(AlignmentDiagnostics.MeterName, "alignment.leads.routed", routed);
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = store, Decisions = sink, TimeProvider = time, MeterFactory = meters });
        var first = await router.RouteWithDetailsAsync(Request("back"));
        await router.RejectAsync(new LeadId("back"), RejectionReason.Timing, "next quarter");
        time.Advance(TimeSpan.FromDays(30));

        var second = await router.RouteWithDetailsAsync(Request("back", QualificationState.Hot));
        var third = await router.RouteWithDetailsAsync(Request("back", QualificationState.Hot));

        Assert.Equal(2, second.Epoch);
        Assert.Equal(HandoffStatus.Assigned, second.Status);
        Assert.Equal("hot", second.Decision.RuleId); // decided from the new request's facts
        Assert.Equal(time.GetUtcNow(), second.DecidedAt);
        Assert.Equal(time.GetUtcNow().AddMinutes(15), second.SlaDueAt);
        Assert.Same(second, third); // open again: idempotent
        Assert.Equal(1, (await store.GetRepLoadAsync(second.Rep!.Value)).Open);
        var history = Assert.Single(await store.ListHistoryAsync(new LeadId("back")));
        Assert.Equal((1, HandoffStatus.Recycled, RejectionReason.Timing, "next quarter"), (history.Epoch, history.Status, history.Rejection, history.Note));
        Assert.Equal(first.Decision, history.Decision);
        Assert.Equal([first.Decision, second.Decision], sink.Decisions.OfType<AlignmentDecision.Routed>().Select(r => r.Decision));
        Assert.Equal(["initial", "requalified"], routed.Select(m => (string)m.Tags["kind"]!));
    }

    [Theory]
    [InlineData(RejectionReason.NotAFit)]
    [InlineData(RejectionReason.Duplicate)]
    public async Task RouteAsync_AfterSalesRejectedTheHandoff_RoutesAfresh(RejectionReason reason)
    {
        var store = new InMemoryRoutingStateStore();
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Monday10Utc) });
        await router.RouteAsync(Request("x"));
        await router.RejectAsync(new LeadId("x"), reason);

        var again = await router.RouteWithDetailsAsync(Request("x"));

        Assert.Equal((2, HandoffStatus.Assigned), (again.Epoch, again.Status));
        Assert.Equal(HandoffStatus.Rejected, Assert.Single(await store.ListHistoryAsync(new LeadId("x"))).Status);
    }

    [Fact]
    public async Task RouteAsync_WhileTheHandoffIsOpen_ReturnsItUnchanged()
    {
        var policy = Compile([Rep("a", maxOpen: 1)], Rule("rr", RoutingStrategies.RoundRobin, "ae"));
        var store = new InMemoryRoutingStateStore();
        var sink = new InMemoryDecisionSink();
        using var router = new HandoffRouter(policy, new HandoffRouterServices { Store = store, Decisions = sink, TimeProvider = new FakeTimeProvider(Monday10Utc) });
        var assigned = await router.RouteWithDetailsAsync(Request("held"));
        var queued = await router.RouteWithDetailsAsync(Request("waiting"));
        var touched = await router.RecordFirstTouchAsync(new LeadId("held"));

        Assert.Same(touched, await router.RouteWithDetailsAsync(Request("held")));
        Assert.Same(queued, await router.RouteWithDetailsAsync(Request("waiting")));
        Assert.Equal(HandoffStatus.Queued, queued.Status);
        Assert.Equal(1, assigned.Epoch);
        Assert.Equal(2, sink.Decisions.OfType<AlignmentDecision.Routed>().Count());
        Assert.Empty(await store.ListHistoryAsync(new LeadId("held")));
    }

    [Fact]
    public async Task RouteAsync_AcceptedLeadStillWithSales_KeepsItsHandoff_LostAndBackAsMql_IsRoutedAfresh()
    {
        var lifecycle = new InMemoryLifecycleStore();
        var id = new LeadId("deal");
        await lifecycle.TrySaveAsync(LeadLifecycle.Start(id).Transition(LifecycleStage.MarketingQualified, Monday10Utc, LifecycleActor.System, "score 70"), 0);
        var time = new FakeTimeProvider(Monday10Utc);
        var store = new InMemoryRoutingStateStore();
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = time, Lifecycle = lifecycle });
        await router.RouteAsync(Request("deal"));
        var accepted = await router.AcceptAsync(id);

        Assert.Same(accepted, await router.RouteWithDetailsAsync(Request("deal"))); // SAL: sales still holds it

        time.Advance(TimeSpan.FromDays(60));
        var sal = (await lifecycle.FindAsync(id))!;
        var back = sal.Transition(LifecycleStage.SalesQualified, time.GetUtcNow(), LifecycleActor.Sales, "qualified")
            .Transition(LifecycleStage.Opportunity, time.GetUtcNow(), LifecycleActor.Sales, "opportunity")
            .Transition(LifecycleStage.Lost, time.GetUtcNow(), LifecycleActor.Sales, "lost to competitor")
            .Transition(LifecycleStage.Recycled, time.GetUtcNow(), LifecycleActor.Marketing, "recycled to nurture")
            .Transition(LifecycleStage.MarketingQualified, time.GetUtcNow(), LifecycleActor.System, "score 80");
        Assert.True(await lifecycle.TrySaveAsync(back, sal.Version));

        var again = await router.RouteWithDetailsAsync(Request("deal"));

        Assert.Equal((2, HandoffStatus.Assigned), (again.Epoch, again.Status));
        Assert.Equal(HandoffStatus.Accepted, Assert.Single(await store.ListHistoryAsync(id)).Status);
    }

    [Fact]
    public async Task RouteWithDetailsAsync_AKnownStage_IsTrusted_AndSavesTheLifecycleRead()
    {
        var lifecycle = new CountingLifecycleStore();
        var id = new LeadId("deal");
        await lifecycle.TrySaveAsync(LeadLifecycle.Start(id).Transition(LifecycleStage.MarketingQualified, Monday10Utc, LifecycleActor.System, "score 70"), 0);
        var store = new InMemoryRoutingStateStore();
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Monday10Utc), Lifecycle = lifecycle });
        await router.RouteAsync(Request("deal"));
        var accepted = await router.AcceptAsync(id);
        int finds = lifecycle.Finds;

        // Known with sales: the accepted handoff is kept, without reading the lifecycle.
        Assert.Same(accepted, await router.RouteWithDetailsAsync(Request("deal") with { KnownStage = LifecycleStage.SalesAccepted }));
        Assert.Equal(finds, lifecycle.Finds);

        // Lost, recycled and back as MQL, a stage the caller has just saved: routed afresh, again without reading the lifecycle.
        var sal = (await lifecycle.FindAsync(id))!;
        var back = sal.Transition(LifecycleStage.SalesQualified, Monday10Utc, LifecycleActor.Sales, "qualified")
            .Transition(LifecycleStage.Opportunity, Monday10Utc, LifecycleActor.Sales, "opportunity")
            .Transition(LifecycleStage.Lost, Monday10Utc, LifecycleActor.Sales, "lost")
            .Transition(LifecycleStage.Recycled, Monday10Utc, LifecycleActor.Marketing, "recycled")
            .Transition(LifecycleStage.MarketingQualified, Monday10Utc, LifecycleActor.System, "score 80");
        Assert.True(await lifecycle.TrySaveAsync(back, sal.Version));
        finds = lifecycle.Finds;
        var again = await router.RouteWithDetailsAsync(Request("deal") with { KnownStage = LifecycleStage.MarketingQualified });
        Assert.Equal((2, HandoffStatus.Assigned), (again.Epoch, again.Status));
        Assert.Equal(finds, lifecycle.Finds);
    }

    [Fact]
    public async Task RecycledLead_BackAsMqlThroughTheRealNurtureEngine_IsRoutedToARepAgain()
    {
        var h = new NurtureHarness();
        var store = new InMemoryRoutingStateStore();
        var deferred = new DeferredHandoff();
        var engine = new NurtureEngine(h.Policy, new NurtureEngineServices { Store = h.Store, Lifecycle = h.Recorder, Scorer = h.Scorer, Content = h.Content, StepHandler = h.Outbox, Leads = h.Leads, Decisions = h.Decisions, TimeProvider = h.Time, Handoff = deferred, Owners = new RoutingStateOwnerLookup(store), MeterFactory = h.MeterFactory }, h.Options);
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = store, Decisions = h.Decisions, TimeProvider = h.Time, Lifecycle = h.Lifecycles, Nurture = engine, MeterFactory = h.MeterFactory });
        deferred.Inner = router;
        var lead = h.AddLead("loop");
        await engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        h.MakeSalesReady(lead.Id);
        var firstExit = Assert.IsType<NurtureOutcome.ExitedToHandoff>(await engine.ReevaluateAsync(lead.Id));
        await router.RejectAsync(lead.Id, RejectionReason.Timing, "budget next year");
        h.Time.Advance(TimeSpan.FromDays(1));

        var secondExit = Assert.IsType<NurtureOutcome.ExitedToHandoff>(await engine.ReevaluateAsync(lead.Id));

        var current = (await store.FindAsync(lead.Id))!;
        Assert.Equal((2, HandoffStatus.Assigned), (current.Epoch, current.Status));
        Assert.Equal(current.Decision, secondExit.Handoff);
        Assert.NotEqual(firstExit.Handoff, secondExit.Handoff); // the rotation moved on: a fresh decision, not the closed one
        Assert.Equal(LifecycleStage.MarketingQualified, (await h.LifecycleOf(lead.Id)).Stage);
        Assert.Equal(2, h.Decisions.Decisions.OfType<AlignmentDecision.Enrolled>().Count()); // first enrolment + the recycle, once each
    }

    [Fact]
    public async Task HandOffQualifiedAsync_InsideSalesRepHandsTheLeadToAFieldRep()
    {
        var store = new InMemoryRoutingStateStore();
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Monday10Utc) });

        var first = await router.RouteWithDetailsAsync(Request("w", source: "Webinar"));
        var field = await router.HandOffQualifiedAsync(new LeadId("w"));
        var again = await router.HandOffQualifiedAsync(new LeadId("w"));

        Assert.Equal("isr", first.Rep!.Value.Value);
        Assert.True(first.Qualification);
        Assert.Equal("a", field.Rep!.Value.Value);
        Assert.Equal(RoutingPhase.Qualified, field.Phase);
        Assert.Same(field, again);
        Assert.Equal(0, (await store.GetRepLoadAsync(new RepId("isr"))).Open);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await router.HandOffQualifiedAsync(new LeadId("never")));
    }

    [Fact]
    public async Task RouteAsync_CountsDecisionsUnderTheAlignmentMeter()
    {
        using var meters = new ScopedMeterFactory();
        var routed = new List<(long Value, Dictionary<string, object?> Tags)>();
        using var listener = meters.Listen(AlignmentDiagnostics.MeterName, "alignment.leads.routed", routed);
        using var router = new HandoffRouter(Policy(), new HandoffRouterServices { Store = new InMemoryRoutingStateStore(), Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Monday10Utc), MeterFactory = meters });

        await router.RouteAsync(Request("1"));
        await router.RouteAsync(Request("1"));
        await router.RouteAsync(Request("2"));

        Assert.Equal(2, routed.Sum(m => m.Value));
        Assert.All(routed, m => Assert.Equal(("assigned", "initial", "rest"), ((string)m.Tags["outcome"]!, (string)m.Tags["kind"]!, (string)m.Tags["rule"]!)));
    }

    [Fact]
    public async Task RouteAsync_ManyParallelCallers_NoLeadTwiceAndNoCapExceeded()
    {
        var policy = Compile([Rep("a", maxOpen: 50), Rep("b", maxOpen: 50), Rep("c", maxOpen: 50)], Rule("rr", RoutingStrategies.RoundRobin, "ae"));
        var store = new InMemoryRoutingStateStore();
        using var router = new HandoffRouter(policy, new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Monday10Utc) });

        var decisions = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(async () => await router.RouteAsync(Request($"l{i % 200}")))));

        Assert.Equal(200, store.Count);
        Assert.Equal(150, decisions.DistinctBy(d => d.LeadId).Count(d => d is HandoffDecision.Assigned));
        foreach (var rep in new[] { "a", "b", "c" })
        {
            Assert.Equal(50, (await store.GetRepLoadAsync(new RepId(rep))).Open);
        }
    }

    private sealed class DeferredHandoff : IHandoffPolicy
    {
        public IHandoffPolicy? Inner { get; set; }

        public ValueTask<HandoffDecision> RouteAsync(HandoffRequest request, CancellationToken cancellationToken = default) =>
            Inner!.RouteAsync(request, cancellationToken);
    }
}
