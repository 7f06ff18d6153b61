using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Alignment.AspNetCore.Wire;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Handoff;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Nurture;
using Alignment.Scoring;
using Alignment.Segmentation;
using Alignment.Segmentation.Playbooks;
using Microsoft.Extensions.DependencyInjection;

namespace Alignment.AspNetCore.Endpoints;

/// <summary>
/// One tenant's ingest: stores the lead, scores it, segments it, and hands it to sales or puts it on a nurture track, the
/// way docs/embedding.md describes; answers with the decision, and the same answer again for a repeated idempotency key.
/// </summary>
internal sealed class LeadIngestion
{
    private const int MaxAttempts = 5;
    private readonly IServiceProvider _services;
    private readonly SemaphoreSlim[] _locks = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];
    private ModelTagText? _modelTag;
    private CrossedText? _lastCrossed;

    public LeadIngestion(string tenant, IServiceProvider services)
    {
        Tenant = tenant;
        _services = services;
        Documents = services.GetRequiredService<ILeadDocumentStore>();
        Scorer = services.GetService<ILeadScorer>()
            ?? throw new InvalidOperationException($"Tenant '{tenant}' has no scoring model: call AddScoring (or AddScoringFromRegistry) in ConfigureTenants.");
        Schema = services.GetService<AttributeSchema>() ?? AttributeSchema.Empty;
        Segmenter = services.GetService<ISegmenter>();
        Playbooks = services.GetService<PlaybookAdvisor>();
        Router = services.GetService<HandoffRouter>();
        Routing = services.GetService<IRoutingStateStore>();
        Nurture = services.GetService<NurtureEngine>();
        NurtureStore = services.GetService<INurtureStore>();
        Lifecycles = services.GetRequiredService<ILifecycleStore>();
        Recorder = services.GetRequiredService<LifecycleRecorder>();
        Decisions = services.GetRequiredService<IDecisionSink>();
        Time = services.GetRequiredService<TimeProvider>();
    }

    public string Tenant { get; }

    public ILeadDocumentStore Documents { get; }

    public ILeadScorer Scorer { get; }

    public AttributeSchema Schema { get; }

    public ISegmenter? Segmenter { get; }

    public PlaybookAdvisor? Playbooks { get; }

    public HandoffRouter? Router { get; }

    public IRoutingStateStore? Routing { get; }

    public NurtureEngine? Nurture { get; }

    public INurtureStore? NurtureStore { get; }

    public ILifecycleStore Lifecycles { get; }

    public LifecycleRecorder Recorder { get; }

    public IDecisionSink Decisions { get; }

    public TimeProvider Time { get; }

    public IServiceProvider Services => _services;

    /// <summary>Ingests a checked request.</summary>
    public async ValueTask<IngestOutcome> IngestAsync(LeadRequest request, ReadOnlyMemory<byte> body, string? idempotencyKey, TimeSpan keyHold, TimeSpan keyWait, CancellationToken cancellationToken)
    {
        // The hash is kept in the receipt and compared with it: without an idempotency key there is neither.
        string? requestHash = idempotencyKey is null ? null : Convert.ToHexStringLower(SHA256.HashData(body.Span));
        if (idempotencyKey is not null && await Documents.FindReceiptAsync(idempotencyKey, cancellationToken).ConfigureAwait(false) is { } earlier)
        {
            return Answer(earlier, requestHash!);
        }

        var leadId = new LeadId(request.Id!);

        // In this process, one ingest at a time per lead and per idempotency key (so a repeat of a key, even for another lead,
        // waits and then finds the receipt); the two stripes are taken in index order, so two requests never deadlock.
        int leadStripe = Stripe(leadId.Value);
        int keyStripe = idempotencyKey is null ? leadStripe : Stripe(idempotencyKey);
        var first = _locks[Math.Min(leadStripe, keyStripe)];
        var second = leadStripe == keyStripe ? null : _locks[Math.Max(leadStripe, keyStripe)];
        await first.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (second is not null)
            {
                await second.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            try
            {
                return await IngestLockedAsync(leadId, request, requestHash, idempotencyKey, keyHold, keyWait, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                second?.Release();
            }
        }
        finally
        {
            first.Release();
        }
    }

    private int Stripe(string value) => (int)((uint)StringComparer.Ordinal.GetHashCode(value) % (uint)_locks.Length);

    private async ValueTask<IngestOutcome> IngestLockedAsync(
        LeadId leadId, LeadRequest request, string? requestHash, string? idempotencyKey, TimeSpan keyHold, TimeSpan keyWait, CancellationToken cancellationToken)
    {
        if (idempotencyKey is null)
        {
            return await DecideAndSaveAsync(leadId, request, requestHash, null, cancellationToken).ConfigureAwait(false);
        }

        // Across instances: claim the key before deciding. Another instance deciding it now holds it: wait a little for its
        // answer and replay it, or answer 409 (Retry-After) when it does not come in time.
        // The wait is wall-clock time (a bound on this request's latency), not the tenant's clock.
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(20);
        DateTimeOffset claimedUntil;
        while (true)
        {
            var claim = await Documents.ClaimKeyAsync(idempotencyKey, Time.GetUtcNow(), keyHold, cancellationToken).ConfigureAwait(false);
            if (claim.Status == IngestKeyClaimStatus.Answered)
            {
                return Answer(claim.Receipt!, requestHash!);
            }

            if (claim.Status == IngestKeyClaimStatus.Claimed)
            {
                claimedUntil = claim.PendingUntil!.Value;
                break;
            }

            if (System.Diagnostics.Stopwatch.GetElapsedTime(started) + delay > keyWait)
            {
                return new IngestOutcome(null, Replayed: false, KeyReused: false, PendingUntil: claim.PendingUntil);
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMilliseconds(500).Ticks));
        }

        var progress = new IngestProgress();
        try
        {
            return await DecideAndSaveAsync(leadId, request, requestHash, idempotencyKey, cancellationToken, progress).ConfigureAwait(false);
        }
        catch when (!progress.Deciding)
        {
            // Nothing was decided: let the next request with this key decide at once (only this request's claim is dropped, never one
            // another instance took over). Once deciding began, decisions may have been published: the claim is kept, so a repeat
            // within the hold is answered 409 with Retry-After instead of deciding the lead a second time; it lapses after the hold.
            try
            {
                await Documents.ReleaseKeyAsync(idempotencyKey, claimedUntil, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The store failed too: the claim lapses after keyHold instead. The first failure is the one to report.
            }

            throw;
        }
    }

    private async ValueTask<IngestOutcome> DecideAndSaveAsync(
        LeadId leadId, LeadRequest request, string? requestHash, string? idempotencyKey, CancellationToken cancellationToken, IngestProgress? progress = null)
    {

        // 1. Store the lead and its activities, so the engines (the nurture engine reads leads back) see them. From the
        // first change on, the work is not cancelled: a client that goes away must not leave decisions without a receipt.
        cancellationToken.ThrowIfCancellationRequested();
        cancellationToken = CancellationToken.None;
        var (document, stored, created) = await StoreLeadAsync(leadId, request, cancellationToken).ConfigureAwait(false);

        // 2. Decide.
        progress?.Deciding = true;
        var decision = await DecideAsync(leadId, stored, created, cancellationToken).ConfigureAwait(false);
        // The answer is written once, as UTF-8: it goes into the stored lead and the response as it is, and into the receipt as text.
        byte[] responseUtf8 = JsonSerializer.SerializeToUtf8Bytes(decision, AlignmentHttpJsonContext.Default.LeadDecisionResponse);

        // 3. Keep the decision with the lead, and the receipt with it in the same save.
        var receipt = idempotencyKey is null ? null
            : new IngestReceipt(idempotencyKey, leadId, requestHash!, System.Text.Encoding.UTF8.GetString(responseUtf8), Time.GetUtcNow());
        for (int attempt = 1; ; attempt++)
        {
            var next = stored with { LastDecision = decision };
            var save = await Documents.SaveAsync(
                new LeadDocument(leadId, document.Version + 1, StoredLeadJson.Write(next, responseUtf8), Time.GetUtcNow()),
                document.Version, receipt, cancellationToken).ConfigureAwait(false);
            switch (save)
            {
                case LeadDocumentSave.Saved:
                    return new IngestOutcome(null, Replayed: false, KeyReused: false) { ResponseUtf8 = responseUtf8 };
                case LeadDocumentSave.ReceiptExists:
                    return Answer((await Documents.FindReceiptAsync(idempotencyKey!, cancellationToken).ConfigureAwait(false))!, requestHash!);
                case LeadDocumentSave.VersionConflict when attempt < MaxAttempts:
                    // Another instance saved this lead in between: keep its lead and activities, add our decision.
                    document = (await Documents.FindAsync(leadId, cancellationToken).ConfigureAwait(false))!;
                    stored = Read(document);
                    break;
                default:
                    throw new LeadChangingException($"Lead {leadId}: the stored lead kept changing while its decision was saved; try again.");
            }
        }
    }

    private static IngestOutcome Answer(IngestReceipt receipt, string requestHash) =>
        string.Equals(receipt.RequestHash, requestHash, StringComparison.Ordinal)
            ? new IngestOutcome(receipt.ResponseJson, Replayed: true, KeyReused: false)
            : new IngestOutcome(null, Replayed: false, KeyReused: true);

    private async ValueTask<(LeadDocument Document, StoredLead Stored, bool Created)> StoreLeadAsync(LeadId leadId, LeadRequest request, CancellationToken cancellationToken)
    {
        // First as a new lead, which the store adds, or answers with the lead it has (one round trip on PostgreSQL either way);
        // then, for a lead already stored, merged into what was stored and saved at the next version.
        var (document, stored) = Merged(leadId, null, request);
        var existing = await Documents.AddOrFindAsync(document, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            return (document, stored, true);
        }

        for (int attempt = 1; ; attempt++)
        {
            (document, stored) = Merged(leadId, existing, request);
            if (await Documents.SaveAsync(document, existing.Version, null, cancellationToken).ConfigureAwait(false) == LeadDocumentSave.Saved)
            {
                return (document, stored, false);
            }

            if (attempt == MaxAttempts)
            {
                throw new LeadChangingException($"Lead {leadId}: the stored lead kept changing while it was saved; try again.");
            }

            existing = await Documents.FindAsync(leadId, cancellationToken).ConfigureAwait(false)
                ?? throw new LeadChangingException($"Lead {leadId}: the stored lead went away while it was saved; try again.");
        }
    }

    /// <summary>The request merged into the stored lead (none: a new lead), as the document of the next version.</summary>
    private (LeadDocument Document, StoredLead Stored) Merged(LeadId leadId, LeadDocument? existing, LeadRequest request)
    {
        var previous = existing is null ? null : Read(existing);
        var activities = LeadMapping.MergeActivities(previous?.Activities, request.Activities);
        if (activities.Count > LeadMapping.MaxActivitiesPerLead)
        {
            throw new LeadTooLargeException($"Lead {leadId} would have {activities.Count} activities; at most {LeadMapping.MaxActivitiesPerLead} are kept per lead.");
        }

        var stored = new StoredLead { Lead = LeadMapping.Merge(previous?.Lead, request), Activities = activities, LastDecision = previous?.LastDecision };
        long version = existing?.Version ?? 0;
        return (new LeadDocument(leadId, version + 1, JsonSerializer.SerializeToUtf8Bytes(stored, AlignmentHttpJsonContext.Default.StoredLead), Time.GetUtcNow()), stored);
    }

    private async ValueTask<LeadDecisionResponse> DecideAsync(LeadId leadId, StoredLead stored, bool created, CancellationToken cancellationToken)
    {
        var lead = LeadMapping.ToLead(stored.Lead, Schema);
        var activities = LeadMapping.ToActivities(stored.Activities);
        var now = Time.GetUtcNow();
        var card = Scorer.Score(lead, activities.AsSpan(), now);
        await Decisions.PublishAsync(new AlignmentDecision.Scored(card), cancellationToken).ConfigureAwait(false);
        SegmentResponse? segment = null;
        SegmentAssignment? assignment = null;
        if (Segmenter is not null)
        {
            if (Playbooks is not null)
            {
                var recommendation = Playbooks.Recommend(lead, card);
                assignment = recommendation.Assignment;
                segment = Responses.Segment(assignment, recommendation);
            }
            else
            {
                assignment = Segmenter.Assign(lead, card);
                segment = Responses.Segment(assignment, null);
            }

            await Decisions.PublishAsync(new AlignmentDecision.Segmented(assignment, now), cancellationToken).ConfigureAwait(false);
        }

        if (created && await DecideNewLeadAsync(leadId, lead, card, segment, assignment, activities.IsEmpty, cancellationToken).ConfigureAwait(false) is { } first)
        {
            return first;
        }

        var lifecycle = await Recorder.EnsureStartedAsync(leadId, cancellationToken).ConfigureAwait(false);
        bool withMarketing = lifecycle.Stage is LifecycleStage.Inquiry or LifecycleStage.Recycled;
        if (withMarketing)
        {
            var enrolment = NurtureStore is null ? null : await NurtureStore.FindLatestAsync(leadId, cancellationToken).ConfigureAwait(false);
            if (enrolment is { IsOnTrack: true } && Nurture is not null)
            {
                // On a track: the nurture engine re-checks the lead (and hands it to sales when it qualifies).
                await Nurture.ReevaluateAsync(leadId, cancellationToken).ConfigureAwait(false);
            }
            else if (card.State >= QualificationState.MarketingQualified && Router is not null)
            {
                var qualified = await Recorder.TransitionFromAsync(lifecycle, LifecycleStage.MarketingQualified, LifecycleActor.System,
                    Crossed(card), ModelTag(card), cancellationToken).ConfigureAwait(false);
                var routed = await Router.RouteWithDetailsAsync(new HandoffRequest(lead, card, assignment?.Segment), cancellationToken).ConfigureAwait(false);

                // The answer comes from what was just decided, not from reading it back: the router leaves the lifecycle where it
                // is on a first route, and nothing here touched the enrolment read above.
                return Answer(leadId, created, qualified.Stage, card, segment, routed, enrolment);
            }
            else if (Nurture is not null && enrolment is not { IsOnTrack: true })
            {
                var enrolled = await Nurture.PutOnTrackFromAsync(NurtureRequest(lead, card, assignment, activities.IsEmpty), lifecycle, enrolment, cancellationToken).ConfigureAwait(false);

                // The lifecycle is now recycled (with marketing, on nurture) and the enrolment is the engine's answer; only the
                // handoff is read (a lead recycled from sales keeps its closed handoff as history).
                var closed = Routing is null ? null : await Routing.FindAsync(leadId, cancellationToken).ConfigureAwait(false);
                return Answer(leadId, created, LifecycleStage.Recycled, card, segment, closed, enrolled.Enrolment);
            }
        }

        var after = await Lifecycles.FindAsync(leadId, cancellationToken).ConfigureAwait(false) ?? lifecycle;
        var handoff = Routing is null ? null : await Routing.FindAsync(leadId, cancellationToken).ConfigureAwait(false);
        var nurture = NurtureStore is null ? null : await NurtureStore.FindLatestAsync(leadId, cancellationToken).ConfigureAwait(false);
        return Answer(leadId, created, after.Stage, card, segment, handoff, nurture);
    }

    /// <summary>
    /// A lead this tenant never ingested before: its first move starts its lifecycle in one write, without reading the lifecycle
    /// and the enrolment first (there are none: the engines write a lead's state after its document, which was just added).
    /// <see langword="null"/> when the lifecycle store had the lead all the same (host code wrote its state, or another instance
    /// ingesting the same new lead moved first), or no engine decides it here: then it is decided from what is read, as a known
    /// lead is; except a qualified lead that the other writer has just moved to MQL, which is routed when it has no handoff yet
    /// (as the read path before this one did), so that this answer carries the handoff too. An enrolment host code wrote without a
    /// lifecycle is not looked for.
    /// </summary>
    private async ValueTask<LeadDecisionResponse?> DecideNewLeadAsync(
        LeadId leadId, Lead lead, ScoreCard card, SegmentResponse? segment, SegmentAssignment? assignment, bool neverEngaged, CancellationToken cancellationToken)
    {
        if (card.State >= QualificationState.MarketingQualified && Router is not null)
        {
            var qualified = await Recorder.TryStartAsync(leadId, LifecycleStage.MarketingQualified, LifecycleActor.System, Crossed(card), ModelTag(card), cancellationToken).ConfigureAwait(false);
            var request = new HandoffRequest(lead, card, assignment?.Segment);
            if (qualified is null)
            {
                // Moved first by another writer: a lead it left at MQL without a handoff is routed, as this ingest would have;
                // one with a handoff is answered with it (routing again could take an accepted lead whose stage has not moved yet).
                if (await Lifecycles.FindAsync(leadId, cancellationToken).ConfigureAwait(false) is not { Stage: LifecycleStage.MarketingQualified } stored)
                {
                    return null;
                }

                var existing = (Routing is null ? null : await Routing.FindAsync(leadId, cancellationToken).ConfigureAwait(false))
                    ?? await Router.RouteWithDetailsAsync(request, cancellationToken).ConfigureAwait(false);
                var nurture = NurtureStore is null ? null : await NurtureStore.FindLatestAsync(leadId, cancellationToken).ConfigureAwait(false);
                return Answer(leadId, true, stored.Stage, card, segment, existing, nurture);
            }

            // The stage was just written, with no handoff yet to accept: the router need not read either to know the lead is not with sales.
            var routed = await Router.RouteWithDetailsAsync(request with { KnownStage = qualified.Stage }, cancellationToken).ConfigureAwait(false);
            return Answer(leadId, true, qualified.Stage, card, segment, routed, null);
        }

        // Below MQL, or qualified with no router to take it: nurtured, as a known lead with marketing is.
        if (Nurture is null || await Nurture.TryPutNewLeadOnTrackAsync(NurtureRequest(lead, card, assignment, neverEngaged), cancellationToken).ConfigureAwait(false) is not { } enrolled)
        {
            return null;
        }

        // Only the handoff is read: host code may have routed the lead without a lifecycle.
        var handoff = Routing is null ? null : await Routing.FindAsync(leadId, cancellationToken).ConfigureAwait(false);
        return Answer(leadId, true, LifecycleStage.Recycled, card, segment, handoff, enrolled.Enrolment);
    }

    /// <summary>
    /// The scoring model's <c>id@version</c> for a lifecycle move: the same string for every lead the model scores (one string
    /// kept per move otherwise, with every lead an in-memory store keeps).
    /// </summary>
    private string ModelTag(ScoreCard card)
    {
        var tag = _modelTag; // read once: another thread may replace it (a model swap) meanwhile
        if (tag is null || !string.Equals(tag.Id, card.ModelId, StringComparison.Ordinal) || !string.Equals(tag.Version, card.ModelVersion, StringComparison.Ordinal))
        {
            _modelTag = tag = new ModelTagText(card.ModelId, card.ModelVersion, $"{card.ModelId}@{card.ModelVersion}");
        }

        return tag.Text;
    }

    /// <summary>
    /// The reason of a move to MQL, the same string as last time when the score and grade match: a lifecycle keeps its reason,
    /// and an in-memory store keeps every lead's, so a string made per lead is one more object per lead for the GC (the nurture
    /// engine shares its reasons the same way).
    /// </summary>
    private string Crossed(ScoreCard card)
    {
        var known = _lastCrossed; // read once: another thread may replace it meanwhile
        if (known is not null && known.Total == card.Total && known.Total.Scale == card.Total.Scale && known.Grade == card.Grade) // 72.0 and 72 print apart
        {
            return known.Text;
        }

        string text = $"score {card.Total.ToString(CultureInfo.InvariantCulture)} (grade {card.Grade.ToLetter()}) crossed MQL";
        _lastCrossed = new CrossedText(card.Total, card.Grade, text);
        return text;
    }

    private static NurtureEnrolmentRequest NurtureRequest(Lead lead, ScoreCard card, SegmentAssignment? assignment, bool neverEngaged) =>
        new(lead, neverEngaged ? NurtureEntryReason.NeverEngaged : NurtureEntryReason.NotSalesReady)
        {
            Segment = assignment?.Segment,
            Campaign = lead.Campaign,
            Note = $"ingested over HTTP, score {card.Total.ToString(CultureInfo.InvariantCulture)} below MQL",
        };

    private static LeadDecisionResponse Answer(
        LeadId leadId, bool created, LifecycleStage stage, ScoreCard card, SegmentResponse? segment, HandoffAssignment? handoff, NurtureEnrolmentRecord? nurture) =>
        new(leadId.Value, created, stage.ToString(), Responses.Score(card), segment,
            handoff is null ? null : Responses.Handoff(handoff),
            nurture is { IsOnTrack: true } ? Responses.Nurture(nurture) : null);

    /// <summary>Reads a lead for <c>GET /leads/{id}</c>; <see langword="null"/> when this tenant never ingested it.</summary>
    public async ValueTask<LeadResponse?> ReadAsync(LeadId leadId, CancellationToken cancellationToken)
    {
        if (await Documents.FindAsync(leadId, cancellationToken).ConfigureAwait(false) is not { } document)
        {
            return null;
        }

        var stored = Read(document);
        var lifecycle = await Lifecycles.FindAsync(leadId, cancellationToken).ConfigureAwait(false) ?? LeadLifecycle.Start(leadId);
        var handoff = Routing is null ? null : await Routing.FindAsync(leadId, cancellationToken).ConfigureAwait(false);
        var nurture = NurtureStore is null ? null : await NurtureStore.FindLatestAsync(leadId, cancellationToken).ConfigureAwait(false);
        var owner = handoff is { Rep: { } rep, Status: HandoffStatus.Assigned or HandoffStatus.Touched or HandoffStatus.Accepted } ? rep.Value : null;
        return new LeadResponse(leadId.Value, lifecycle.Stage.ToString(), owner, stored.Activities.Count, stored.LastDecision?.Score, stored.LastDecision?.Segment,
            handoff is null ? null : Responses.Handoff(handoff),
            nurture is null ? null : Responses.Nurture(nurture),
            [.. lifecycle.History.Select(Responses.Transition)]);
    }

    /// <summary>Whether this tenant ingested the lead.</summary>
    public async ValueTask<bool> ExistsAsync(LeadId leadId, CancellationToken cancellationToken) =>
        await Documents.FindAsync(leadId, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>The lead as Alignment's type, for campaign invitations.</summary>
    public async ValueTask<Lead?> FindLeadAsync(LeadId leadId, CancellationToken cancellationToken) =>
        await Documents.FindAsync(leadId, cancellationToken).ConfigureAwait(false) is { } document ? LeadMapping.ToLead(Read(document).Lead, Schema) : null;

    private static StoredLead Read(LeadDocument document) =>
        LeadDocumentJson.Read(document, AlignmentHttpJsonContext.Default.StoredLead);

    private sealed record ModelTagText(string Id, string Version, string Text);

    private sealed record CrossedText(decimal Total, Grade Grade, string Text);

    /// <summary>How far an idempotent ingest got: once it is deciding, its key's claim is never released.</summary>
    private sealed class IngestProgress
    {
        public bool Deciding { get; set; }
    }
}
