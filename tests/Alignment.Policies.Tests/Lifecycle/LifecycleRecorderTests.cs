using Alignment.Decisions;
using Alignment.Diagnostics;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Tests.Nurture.TestDoubles;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Policies.Tests.Lifecycle;

public sealed class LifecycleRecorderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TransitionAsync_RecordsTimeActorReasonAndModel_AndPublishesTheChange()
    {
        var store = new InMemoryLifecycleStore();
        var sink = new InMemoryDecisionSink();
        var recorder = new LifecycleRecorder(store, sink, new FakeTimeProvider(T0));

        var lifecycle = await recorder.TransitionAsync(new LeadId("l1"), LifecycleStage.MarketingQualified, LifecycleActor.System, "score 72 >= 60", "std@2.1.0");

        var t = Assert.Single(lifecycle.History);
        Assert.Equal((LifecycleStage.Inquiry, LifecycleStage.MarketingQualified, T0, LifecycleActor.System, "score 72 >= 60", "std@2.1.0"), (t.From, t.To, t.At, t.Actor, t.Reason, t.ModelVersion));
        var published = Assert.IsType<AlignmentDecision.StageChanged>(Assert.Single(sink.Decisions));
        Assert.Same(t, published.Transition);
        Assert.Same(lifecycle, await store.FindAsync(new LeadId("l1")));
    }

    [Fact]
    public async Task TransitionAsync_AlreadyAtTheStage_WritesNothing()
    {
        var sink = new InMemoryDecisionSink();
        var recorder = new LifecycleRecorder(new InMemoryLifecycleStore(), sink, new FakeTimeProvider(T0));
        await recorder.TransitionAsync(new LeadId("l1"), LifecycleStage.Recycled, LifecycleActor.Marketing, "straight to nurture");

        var again = await recorder.TransitionAsync(new LeadId("l1"), LifecycleStage.Recycled, LifecycleActor.Marketing, "straight to nurture");

        Assert.Equal(1, again.Version);
        Assert.Single(sink.Decisions);
    }

    [Fact]
    public async Task TransitionAsync_MoveTheStateMachineRefuses_Throws()
    {
        var recorder = new LifecycleRecorder(new InMemoryLifecycleStore(), new InMemoryDecisionSink(), new FakeTimeProvider(T0));

        await Assert.ThrowsAsync<InvalidLifecycleTransitionException>(async () => await recorder.TransitionAsync(new LeadId("l1"), LifecycleStage.Won, LifecycleActor.Sales, "?"));
    }

    [Fact]
    public async Task TransitionAsync_ConcurrentWriters_EveryTransitionIsKept()
    {
        var store = new InMemoryLifecycleStore();
        var recorder = new LifecycleRecorder(store, new InMemoryDecisionSink(), new FakeTimeProvider(T0));
        var id = new LeadId("l1");
        await recorder.TransitionAsync(id, LifecycleStage.MarketingQualified, LifecycleActor.System, "score");

        await Task.WhenAll(
            Task.Run(async () => await recorder.TransitionAsync(id, LifecycleStage.SalesAccepted, LifecycleActor.Sales, "accepted")),
            Task.Run(async () => await recorder.TransitionAsync(id, LifecycleStage.SalesAccepted, LifecycleActor.Sales, "accepted")));

        var lifecycle = (await store.FindAsync(id))!;
        Assert.Equal([LifecycleStage.MarketingQualified, LifecycleStage.SalesAccepted], lifecycle.History.Select(t => t.To));
    }

    [Fact]
    public async Task TransitionAsync_RecycleFromSales_IsCounted_StraightToNurtureIsNot()
    {
        var counts = new Dictionary<string, long>();
        using var meters = new TestMeterFactory();
        using var listener = meters.Listen(counts);
        var recorder = new LifecycleRecorder(new InMemoryLifecycleStore(), new InMemoryDecisionSink(), new FakeTimeProvider(T0), meters);

        await recorder.TransitionAsync(new LeadId("new"), LifecycleStage.Recycled, LifecycleActor.Marketing, "straight to nurture");
        await recorder.TransitionAsync(new LeadId("mql"), LifecycleStage.MarketingQualified, LifecycleActor.System, "score");
        await recorder.TransitionAsync(new LeadId("mql"), LifecycleStage.Recycled, LifecycleActor.Sales, "timing");

        Assert.Equal(1, counts["alignment.leads.recycled"]);
        Assert.Equal([AlignmentDiagnostics.MeterName], meters.RequestedNames);
    }

    [Fact]
    public async Task TransitionFromAsync_TheLifecycleJustRead_SavesWithoutReadingItAgain()
    {
        var store = new CountingLifecycleStore();
        var recorder = new LifecycleRecorder(store, new InMemoryDecisionSink(), new FakeTimeProvider(T0));
        var id = new LeadId("l1");
        var read = await recorder.EnsureStartedAsync(id);
        int readsBefore = store.Finds;

        var moved = await recorder.TransitionFromAsync(read, LifecycleStage.MarketingQualified, LifecycleActor.System, "score 72 >= 60", "std@2.1.0");

        Assert.Equal(readsBefore, store.Finds);
        Assert.Equal((LifecycleStage.MarketingQualified, 1), (moved.Stage, moved.Version));
        Assert.Same(moved, await store.FindAsync(id));
    }

    [Fact]
    public async Task TransitionFromAsync_ALifecycleThatMovedOnSince_IsReadAgainAndMovedFromWhereItIs()
    {
        var store = new CountingLifecycleStore();
        var sink = new InMemoryDecisionSink();
        var recorder = new LifecycleRecorder(store, sink, new FakeTimeProvider(T0));
        var id = new LeadId("l1");
        var stale = await recorder.EnsureStartedAsync(id);
        await recorder.TransitionAsync(id, LifecycleStage.MarketingQualified, LifecycleActor.System, "score 72 >= 60"); // another writer, after the read

        var moved = await recorder.TransitionFromAsync(stale, LifecycleStage.Recycled, LifecycleActor.Marketing, "straight to nurture");

        Assert.Equal(
            [(LifecycleStage.Inquiry, LifecycleStage.MarketingQualified), (LifecycleStage.MarketingQualified, LifecycleStage.Recycled)],
            moved.History.Select(t => (t.From, t.To)));
        Assert.Same(moved, await store.FindAsync(id));
        Assert.Equal(2, sink.Decisions.Length);
    }

    [Fact]
    public async Task TransitionFromAsync_AlreadyAtTheStage_WritesNothing_AndNullIsRefused()
    {
        var store = new CountingLifecycleStore();
        var sink = new InMemoryDecisionSink();
        var recorder = new LifecycleRecorder(store, sink, new FakeTimeProvider(T0));
        var at = await recorder.TransitionAsync(new LeadId("l1"), LifecycleStage.Recycled, LifecycleActor.Marketing, "straight to nurture");

        var again = await recorder.TransitionFromAsync(at, LifecycleStage.Recycled, LifecycleActor.Marketing, "straight to nurture");

        Assert.Same(at, again);
        Assert.Single(sink.Decisions);
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await recorder.TransitionFromAsync(null!, LifecycleStage.Recycled, LifecycleActor.Marketing, "x"));
    }

    [Fact]
    public async Task TransitionFromAsync_AStaleLifecycleAtTheStageOrNotAllowingTheMove_AnswersFromTheStore()
    {
        var store = new CountingLifecycleStore();
        var recorder = new LifecycleRecorder(store, new InMemoryDecisionSink(), new FakeTimeProvider(T0));
        var id = new LeadId("l1");

        // Read at Recycled; another writer moves the lead to MQL; "to Recycled" must move it back, not answer the stale copy.
        var recycled = await recorder.TransitionAsync(id, LifecycleStage.Recycled, LifecycleActor.Marketing, "straight to nurture");
        await recorder.TransitionAsync(id, LifecycleStage.MarketingQualified, LifecycleActor.System, "score 72 >= 60");
        var back = await recorder.TransitionFromAsync(recycled, LifecycleStage.Recycled, LifecycleActor.Marketing, "not ready");
        Assert.Equal((LifecycleStage.Recycled, 3), (back.Stage, back.Version));

        // Read at Recycled (Won is not allowed from there); the stored lead has moved on to an opportunity, which allows it.
        var stale = back;
        await recorder.TransitionAsync(id, LifecycleStage.MarketingQualified, LifecycleActor.System, "score 80");
        await recorder.TransitionAsync(id, LifecycleStage.SalesAccepted, LifecycleActor.Sales, "accepted");
        await recorder.TransitionAsync(id, LifecycleStage.SalesQualified, LifecycleActor.Sales, "qualified");
        await recorder.TransitionAsync(id, LifecycleStage.Opportunity, LifecycleActor.Sales, "opportunity");
        var won = await recorder.TransitionFromAsync(stale, LifecycleStage.Won, LifecycleActor.Sales, "signed");
        Assert.Equal(LifecycleStage.Won, won.Stage);
        Assert.Same(won, await store.FindAsync(id));
    }

    [Fact]
    public async Task TryStartAsync_ALeadTheStoreNeverSaw_StartsWithTheFirstMove_InOneWriteAndNoRead()
    {
        var store = new CountingLifecycleStore();
        var sink = new InMemoryDecisionSink();
        var recorder = new LifecycleRecorder(store, sink, new FakeTimeProvider(T0));

        var started = await recorder.TryStartAsync(new LeadId("l1"), LifecycleStage.MarketingQualified, LifecycleActor.System, "score 72 >= 60", "std@2.1.0");

        Assert.NotNull(started);
        Assert.Equal(0, store.Finds);
        var t = Assert.Single(started.History);
        Assert.Equal((LifecycleStage.Inquiry, LifecycleStage.MarketingQualified, T0, "score 72 >= 60", "std@2.1.0", 1), (t.From, t.To, t.At, t.Reason, t.ModelVersion, started.Version));
        Assert.Same(t, Assert.IsType<AlignmentDecision.StageChanged>(Assert.Single(sink.Decisions)).Transition);
        Assert.Same(started, await store.FindAsync(new LeadId("l1")));
    }

    [Fact]
    public async Task TryStartAsync_ALeadWithALifecycle_WritesAndPublishesNothing_AndAnswersNull()
    {
        var store = new InMemoryLifecycleStore();
        var sink = new InMemoryDecisionSink();
        var recorder = new LifecycleRecorder(store, sink, new FakeTimeProvider(T0));
        var id = new LeadId("l1");
        await recorder.TransitionAsync(id, LifecycleStage.MarketingQualified, LifecycleActor.System, "score 72 >= 60");
        var accepted = await recorder.TransitionAsync(id, LifecycleStage.SalesAccepted, LifecycleActor.Sales, "accepted");

        var again = await recorder.TryStartAsync(id, LifecycleStage.Recycled, LifecycleActor.Marketing, "straight to nurture");

        Assert.Null(again);
        Assert.Same(accepted, await store.FindAsync(id));
        Assert.Equal(2, sink.Decisions.Length);
    }

    [Fact]
    public async Task TryStartAsync_AMoveTheStateMachineRefuses_ThrowsBeforeWriting()
    {
        var store = new InMemoryLifecycleStore();
        var recorder = new LifecycleRecorder(store, new InMemoryDecisionSink(), new FakeTimeProvider(T0));

        var e = await Assert.ThrowsAsync<InvalidLifecycleTransitionException>(async () => await recorder.TryStartAsync(new LeadId("l1"), LifecycleStage.Won, LifecycleActor.Sales, "signed"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await recorder.TryStartAsync(new LeadId("l1"), LifecycleStage.Recycled, LifecycleActor.Marketing, " "));

        Assert.Contains("Won", e.Message, StringComparison.Ordinal);
        Assert.Null(await store.FindAsync(new LeadId("l1")));
    }
}
