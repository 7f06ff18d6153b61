using System.Diagnostics.Metrics;
using Alignment.Decisions;
using Alignment.Diagnostics;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Scoring;
using Microsoft.Extensions.Time.Testing;
using static Alignment.Policies.Tests.Handoff.HandoffTestData;

namespace Alignment.Policies.Tests.Handoff;

public sealed class HandoffRouterTests
{
    private sealed class RecordingEscalations : IHandoffEscalationHandler
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

    private static CompiledRoutingPolicy Policy(int maxReassignments = 2) => Compile(
        [Rep("a") with { Manager = "boss" }, Rep("b") with { Manager = "boss" }, Rep("c") with { Manager = "boss" }, Rep("isr", team: "inside")],
        Rule("qualify", RoutingStrategy.RoundRobin, "inside") with { Qualification = true, Match = new() { Sources = ["Webinar"] } },
        Rule("hot", RoutingStrategy.RoundRobin, "ae") with
        {
            Match = new() { States = ["hot"] },
            SlaMinutes = 15,
            Escalation = new() { NotifyManager = true, MaxReassignments = maxReassignments, Queue = "sla-missed" },
        },
        Rule("rest", RoutingStrategy.RoundRobin, "ae"));

    [Fact]
    public async Task RouteAsync_SameLeadTwice_ReturnsTheSameDecisionAndPublishesOnce()
    {
        var sink = new InMemoryDecisionSink();
        using var router = new HandoffRouter(Policy(), new InMemoryRoutingStateStore(), sink, new FakeTimeProvider(Monday10Utc));

        var first = await router.RouteAsync(Request("1"));
        var second = await router.RouteAsync(Request("1"));

        Assert.Same(first, second);
        Assert.Single(sink.Decisions.OfType<AlignmentDecision.Routed>());
    }

    [Fact]
    public async Task Sla_UpcomingThenBreached_EscalatesReassignsAtMostNTimesThenQueues()
    {
        var time = new FakeTimeProvider(Monday10Utc);
        var sink = new InMemoryDecisionSink();
        var escalations = new RecordingEscalations();
        using var router = new HandoffRouter(Policy(maxReassignments: 2), new InMemoryRoutingStateStore(), sink, time, escalation: escalations);

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
    public async Task AcceptAsync_MovesTheLeadToSalAndFreesCapacity()
    {
        var lifecycle = new InMemoryLifecycleStore();
        await lifecycle.TrySaveAsync(LeadLifecycle.Start(new LeadId("1")).Transition(LifecycleStage.MarketingQualified, Monday10Utc.AddDays(-1), LifecycleActor.System, "score 70"), 0);
        var store = new InMemoryRoutingStateStore();
        using var router = new HandoffRouter(Policy(), store, new InMemoryDecisionSink(), new FakeTimeProvider(Monday10Utc), lifecycle: lifecycle);

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
        var recycled = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == AlignmentDiagnostics.MeterName && i.Name == "alignment.leads.recycled")
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => recycled.Add((string)tags[0].Value!));
        listener.Start();
        using var router = new HandoffRouter(Policy(), new InMemoryRoutingStateStore(), new InMemoryDecisionSink(), new FakeTimeProvider(Monday10Utc), lifecycle: lifecycle, nurture: nurture);
        await router.RouteAsync(Request("later"));
        await router.RouteAsync(Request("junk"));

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
        Assert.Equal(["not-now"], recycled);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await router.RejectAsync(new LeadId("junk"), RejectionReason.Duplicate));
    }

    [Fact]
    public async Task HandOffQualifiedAsync_InsideSalesRepHandsTheLeadToAFieldRep()
    {
        var store = new InMemoryRoutingStateStore();
        using var router = new HandoffRouter(Policy(), store, new InMemoryDecisionSink(), new FakeTimeProvider(Monday10Utc));

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
        long routed = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == AlignmentDiagnostics.MeterName && i.Name == "alignment.leads.routed")
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, v, _, _) => Interlocked.Add(ref routed, v));
        listener.Start();
        using var router = new HandoffRouter(Policy(), new InMemoryRoutingStateStore(), new InMemoryDecisionSink(), new FakeTimeProvider(Monday10Utc));

        await router.RouteAsync(Request("1"));
        await router.RouteAsync(Request("1"));
        await router.RouteAsync(Request("2"));

        Assert.Equal(2, Interlocked.Read(ref routed));
    }

    [Fact]
    public async Task RouteAsync_ManyParallelCallers_NoLeadTwiceAndNoCapExceeded()
    {
        var policy = Compile([Rep("a", maxOpen: 50), Rep("b", maxOpen: 50), Rep("c", maxOpen: 50)], Rule("rr", RoutingStrategy.RoundRobin, "ae"));
        var store = new InMemoryRoutingStateStore();
        using var router = new HandoffRouter(policy, store, new InMemoryDecisionSink(), new FakeTimeProvider(Monday10Utc));

        var decisions = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(async () => await router.RouteAsync(Request($"l{i % 200}")))));

        Assert.Equal(200, store.Count);
        Assert.Equal(150, decisions.DistinctBy(d => d.LeadId).Count(d => d is HandoffDecision.Assigned));
        foreach (var rep in new[] { "a", "b", "c" })
        {
            Assert.Equal(50, (await store.GetRepLoadAsync(new RepId(rep))).Open);
        }
    }
}
