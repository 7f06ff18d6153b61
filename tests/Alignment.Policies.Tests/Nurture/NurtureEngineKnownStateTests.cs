using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Nurture;
using Alignment.Policies.Tests.Nurture.TestDoubles;

namespace Alignment.Policies.Tests.Nurture;

/// <summary><see cref="NurtureEngine.PutOnTrackFromAsync"/>: enrolling from the lifecycle and enrolment the caller has just read.</summary>
public sealed class NurtureEngineKnownStateTests
{
    [Fact]
    public async Task PutOnTrackFromAsync_TheStateJustRead_EnrolsWithoutReadingEitherStoreAgain()
    {
        var t = new Counted();
        var lead = t.Harness.AddLead("l1");
        var lifecycle = await t.Recorder.EnsureStartedAsync(lead.Id);
        var latest = await t.Nurture.FindLatestAsync(lead.Id);
        var (lifecycleReads, enrolmentReads) = (t.Lifecycles.Finds, t.Nurture.Finds);

        var enrolled = await t.Engine.PutOnTrackFromAsync(new NurtureEnrolmentRequest(lead, NurtureEntryReason.NeverEngaged), lifecycle, latest);

        Assert.Equal((lifecycleReads, enrolmentReads), (t.Lifecycles.Finds, t.Nurture.Finds));
        Assert.Equal(("default", 1, 1), (enrolled.Enrolment.TrackId, enrolled.Enrolment.Sequence, enrolled.Enrolment.Version));
        Assert.Equal(LifecycleStage.Recycled, (await t.Lifecycles.FindAsync(lead.Id))!.Stage);
        Assert.Equal([typeof(AlignmentDecision.StageChanged), typeof(AlignmentDecision.Enrolled)], t.Harness.Decisions.Decisions.Select(d => d.GetType()));
    }

    [Fact]
    public async Task PutOnTrackFromAsync_StaleCopies_AnswerAsAFreshRead_AndEnrolTheLeadOnce()
    {
        var t = new Counted();
        var lead = t.Harness.AddLead("l1");
        var lifecycle = await t.Recorder.EnsureStartedAsync(lead.Id);
        var latest = await t.Nurture.FindLatestAsync(lead.Id);
        await t.Engine.PutOnTrackAsync(new NurtureEnrolmentRequest(lead, NurtureEntryReason.NeverEngaged)); // another writer, after the reads

        // Same priority: the lead stays on the track the other writer put it on.
        var same = await t.Engine.PutOnTrackFromAsync(new NurtureEnrolmentRequest(lead, NurtureEntryReason.NotSalesReady), lifecycle, latest);
        Assert.Equal(("default", 1), (same.Enrolment.TrackId, same.Enrolment.Sequence));
        Assert.StartsWith("already on track 'default'", same.Explanation, StringComparison.Ordinal);

        // Higher priority: the stale "no enrolment" is refused by the store, and the current track is replaced.
        var moved = await t.Engine.PutOnTrackFromAsync(new NurtureEnrolmentRequest(lead, NurtureEntryReason.WebinarNoShow), lifecycle, latest);
        Assert.Equal(("webinar-no-show", 2), (moved.Enrolment.TrackId, moved.Enrolment.Sequence));
        Assert.StartsWith("moved from track 'default'", moved.Explanation, StringComparison.Ordinal);

        var history = (await t.Lifecycles.FindAsync(lead.Id))!.History;
        Assert.Equal([(LifecycleStage.Inquiry, LifecycleStage.Recycled)], history.Select(h => (h.From, h.To)));
        Assert.Equal(2, t.Harness.Decisions.Decisions.OfType<AlignmentDecision.Enrolled>().Count());
    }

    [Fact]
    public async Task PutOnTrackFromAsync_AnEnrolmentCopyOnATrack_IsReadAgain_SoALeadWhoseTrackEndedIsEnrolledAgain()
    {
        var t = new Counted();
        var lead = t.Harness.AddLead("l1");
        await t.Engine.PutOnTrackAsync(new NurtureEnrolmentRequest(lead, NurtureEntryReason.NeverEngaged));
        var lifecycle = (await t.Lifecycles.FindAsync(lead.Id))!;
        var onTrack = (await t.Nurture.FindLatestAsync(lead.Id))!;
        var ended = onTrack with { Status = NurtureEnrolmentStatus.Ended, EndedAt = t.Harness.Time.GetUtcNow(), NextDueAt = null, StatusReason = "exited" };
        Assert.True(await t.Nurture.TryUpdateAsync(ended, onTrack.Version)); // after the read

        var enrolled = await t.Engine.PutOnTrackFromAsync(new NurtureEnrolmentRequest(lead, NurtureEntryReason.NotSalesReady), lifecycle, onTrack);

        Assert.Equal((2, NurtureEnrolmentStatus.Active), (enrolled.Enrolment.Sequence, enrolled.Enrolment.Status));
        Assert.Equal(2, (await t.Nurture.FindLatestAsync(lead.Id))!.Sequence);
    }

    [Fact]
    public async Task PutOnTrackFromAsync_ACopyAlreadyOnNurture_IsReadAgain_SoALeadThatMovedToSalesIsRecycled()
    {
        var t = new Counted();
        var lead = t.Harness.AddLead("l1");
        var onNurture = await t.Recorder.TransitionAsync(lead.Id, LifecycleStage.Recycled, LifecycleActor.Marketing, "straight to nurture");
        await t.Recorder.TransitionAsync(lead.Id, LifecycleStage.MarketingQualified, LifecycleActor.System, "score 80 crossed MQL"); // after the read

        await t.Engine.PutOnTrackFromAsync(new NurtureEnrolmentRequest(lead, NurtureEntryReason.NotSalesReady), onNurture, null);

        var history = (await t.Lifecycles.FindAsync(lead.Id))!.History;
        Assert.Equal(
            [LifecycleStage.Recycled, LifecycleStage.MarketingQualified, LifecycleStage.Recycled],
            history.Select(h => h.To));
    }

    [Fact]
    public async Task PutOnTrackFromAsync_AnotherLeadsState_IsRefused()
    {
        var t = new Counted();
        var lead = t.Harness.AddLead("l1");
        var other = t.Harness.AddLead("l2");
        await t.Engine.PutOnTrackAsync(new NurtureEnrolmentRequest(other, NurtureEntryReason.NeverEngaged));
        var otherLifecycle = (await t.Lifecycles.FindAsync(other.Id))!;
        var otherEnrolment = await t.Nurture.FindLatestAsync(other.Id);
        var request = new NurtureEnrolmentRequest(lead, NurtureEntryReason.NeverEngaged);

        var wrongLifecycle = await Assert.ThrowsAsync<ArgumentException>(async () => await t.Engine.PutOnTrackFromAsync(request, otherLifecycle, null));
        var wrongEnrolment = await Assert.ThrowsAsync<ArgumentException>(async () => await t.Engine.PutOnTrackFromAsync(request, LeadLifecycle.Start(lead.Id), otherEnrolment));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await t.Engine.PutOnTrackFromAsync(request, null!, null));

        Assert.Equal(("lifecycle", "latestEnrolment"), (wrongLifecycle.ParamName, wrongEnrolment.ParamName));
        Assert.Contains("lead l2's", wrongLifecycle.Message, StringComparison.Ordinal);
        Assert.Null(await t.Nurture.FindLatestAsync(lead.Id));
    }

    [Fact]
    public async Task TryPutNewLeadOnTrackAsync_ALeadTheStoresNeverSaw_IsEnrolledWithoutReadingEitherStore()
    {
        var t = new Counted();
        var lead = t.Harness.AddLead("l1");

        var enrolled = await t.Engine.TryPutNewLeadOnTrackAsync(new NurtureEnrolmentRequest(lead, NurtureEntryReason.NeverEngaged) { Note = "ingested" });

        Assert.NotNull(enrolled);
        Assert.Equal((0, 0), (t.Lifecycles.Finds, t.Nurture.Finds));
        Assert.Equal(("default", 1, 1), (enrolled.Enrolment.TrackId, enrolled.Enrolment.Sequence, enrolled.Enrolment.Version));
        var transition = Assert.Single((await t.Lifecycles.FindAsync(lead.Id))!.History);
        Assert.Equal((LifecycleStage.Inquiry, LifecycleStage.Recycled, "straight to nurture: NeverEngaged (ingested)"), (transition.From, transition.To, transition.Reason));
        Assert.Equal([typeof(AlignmentDecision.StageChanged), typeof(AlignmentDecision.Enrolled)], t.Harness.Decisions.Decisions.Select(d => d.GetType()));
    }

    [Fact]
    public async Task TryPutNewLeadOnTrackAsync_ALeadWithALifecycle_WritesNothing_AndAnswersNull()
    {
        var t = new Counted();
        var lead = t.Harness.AddLead("l1");
        await t.Recorder.TransitionAsync(lead.Id, LifecycleStage.MarketingQualified, LifecycleActor.System, "score 80 crossed MQL");
        var accepted = await t.Recorder.TransitionAsync(lead.Id, LifecycleStage.SalesAccepted, LifecycleActor.Sales, "accepted");
        int decisions = t.Harness.Decisions.Decisions.Length;

        var enrolled = await t.Engine.TryPutNewLeadOnTrackAsync(new NurtureEnrolmentRequest(lead, NurtureEntryReason.NotSalesReady));

        Assert.Null(enrolled);
        Assert.Same(accepted, await t.Lifecycles.FindAsync(lead.Id));
        Assert.Null(await t.Nurture.FindLatestAsync(lead.Id));
        Assert.Equal(decisions, t.Harness.Decisions.Decisions.Length);
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await t.Engine.TryPutNewLeadOnTrackAsync(null!));
    }

    /// <summary>The harness's engine, over stores that count their reads.</summary>
    private sealed class Counted
    {
        public Counted()
        {
            Harness = new NurtureHarness(store: Nurture);
            Recorder = new LifecycleRecorder(Lifecycles, Harness.Decisions, Harness.Time);
            var h = Harness;
            Engine = new NurtureEngine(h.Policy, new NurtureEngineServices
            {
                Store = Nurture, Lifecycle = Recorder, Scorer = h.Scorer, Content = h.Content, StepHandler = h.Outbox, Leads = h.Leads, Decisions = h.Decisions,
                TimeProvider = h.Time, Handoff = h.Router, Owners = h.Assignments,
            });
        }

        public CountingNurtureStore Nurture { get; } = new();

        public CountingLifecycleStore Lifecycles { get; } = new();

        public NurtureHarness Harness { get; }

        public LifecycleRecorder Recorder { get; }

        public NurtureEngine Engine { get; }
    }

    private sealed class CountingNurtureStore : INurtureStore
    {
        private readonly InMemoryNurtureStore _inner = new();

        public int Finds { get; private set; }

        public ValueTask<NurtureEnrolmentRecord?> FindLatestAsync(LeadId leadId, CancellationToken cancellationToken = default)
        {
            Finds++;
            return _inner.FindLatestAsync(leadId, cancellationToken);
        }

        public ValueTask<bool> TryInsertAsync(NurtureEnrolmentRecord record, CancellationToken cancellationToken = default) => _inner.TryInsertAsync(record, cancellationToken);

        public ValueTask<bool> TryUpdateAsync(NurtureEnrolmentRecord record, int expectedVersion, NurtureEnrolmentRecord? successor = null, AlignmentDecision? decision = null, CancellationToken cancellationToken = default) =>
            _inner.TryUpdateAsync(record, expectedVersion, successor, decision, cancellationToken);

        public ValueTask<IReadOnlyList<NurtureDueItem>> PeekDueAsync(DateTimeOffset asOf, int maxCount, CancellationToken cancellationToken = default) =>
            _inner.PeekDueAsync(asOf, maxCount, cancellationToken);

        public ValueTask<IReadOnlyList<NurtureEnrolmentRecord>> ClaimDueAsync(DateTimeOffset asOf, int maxCount, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
            _inner.ClaimDueAsync(asOf, maxCount, owner, leaseUntil, cancellationToken);

        public ValueTask<bool> TryRecordSentAsync(NurtureSentStep sent, CancellationToken cancellationToken = default) => _inner.TryRecordSentAsync(sent, cancellationToken);

        public ValueTask<bool> WasSentAsync(string enrolmentId, int stepIndex, CancellationToken cancellationToken = default) => _inner.WasSentAsync(enrolmentId, stepIndex, cancellationToken);

        public ValueTask<IReadOnlyList<NurtureSentStep>> ListSentAsync(LeadId leadId, CancellationToken cancellationToken = default) => _inner.ListSentAsync(leadId, cancellationToken);

        public IAsyncEnumerable<NurtureEnrolmentRecord> ListLatestAsync(CancellationToken cancellationToken = default) => _inner.ListLatestAsync(cancellationToken);
    }
}
