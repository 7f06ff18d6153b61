using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using System.Globalization;
using Alignment.Activities;
using Alignment.Decisions;
using Alignment.Diagnostics;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Models.Registry;
using Alignment.Nurture;
using Alignment.Policies.Lifecycle;
using Alignment.Scoring;

namespace Alignment.Policies.Nurture;

/// <summary>
/// The nurture policy at work: puts leads on tracks, and, as a scheduler, answers "what is due now" and carries out due steps,
/// checking the exit rules first (score crossed MQL → back to handoff; unsubscribed or bounced → stop contact, stay on record;
/// track exhausted or time up → next, slower track; disqualified or taken by sales → leave the track).
/// </summary>
/// <remarks>
/// Thread-safe and deterministic given its <see cref="TimeProvider"/>. Idempotent: running the scheduler twice at the same instant
/// sends nothing twice (a due step is claimed under a lease and recorded as sent once). Resumable: a step claimed by an
/// instance that died becomes due again when its lease expires, and a step already recorded as sent is not handed over again.
/// Counts on <see cref="AlignmentDiagnostics.MeterName"/>: <c>alignment.nurture.enrolled</c>, <c>alignment.nurture.steps</c>
/// (tag <c>outcome</c>) and <c>alignment.nurture.exits</c> (tag <c>exit</c>).
/// <para>
/// An engine built with <see cref="ForActivePolicies"/> follows a model registry: each enrolment and each step takes the nurture
/// policy its lead's tenant has active at that moment, so an activation or a rollback takes effect at the next step without a
/// restart. A step runs entirely on the policy it started with, and the enrolment, the step and their decisions record that
/// policy's id, version and content hash.
/// </para>
/// </remarks>
public sealed partial class NurtureEngine : INurturePolicy
{
    private readonly NurturePolicy? _policy;
    private readonly ActiveModels<NurturePolicy>? _policies;
    private readonly Func<LeadId, string>? _tenantOf;
    private readonly INurtureStore _store;
    private readonly LifecycleRecorder _lifecycle;
    private readonly ILeadScorer _scorer;
    private readonly INurtureContentProvider _content;
    private readonly INurtureStepHandler _handler;
    private readonly ILeadSnapshotSource _leads;

    /// <summary>Where the engine reads leads back (the campaign tracker reads an invitee's current facts from it).</summary>
    internal ILeadSnapshotSource Leads => _leads;
    private readonly IDecisionSink _decisions;
    private readonly TimeProvider _time;
    private readonly IHandoffPolicy? _handoff;
    private readonly ILeadOwnerLookup? _owners;
    private readonly NurtureOptions _options;
    private readonly Counter<long> _enrolled;
    private readonly Counter<long> _steps;
    private readonly Counter<long> _exits;
    private readonly ILogger _logger;
    private StraightToNurtureText? _lastStraightToNurture;

    /// <summary>Creates the engine.</summary>
    /// <param name="policy">The compiled policy.</param>
    /// <param name="services">What the engine works with: its store, step handler, scorer and the rest.</param>
    /// <param name="options">Scheduler settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/>, <paramref name="services"/> or one of its required members is null.</exception>
    public NurtureEngine(NurturePolicy policy, NurtureEngineServices services, NurtureOptions? options = null)
        : this(policy ?? throw new ArgumentNullException(nameof(policy)), null, null, services, options)
    {
    }

    private NurtureEngine(NurturePolicy? policy, ActiveModels<NurturePolicy>? policies, Func<LeadId, string>? tenantOf, NurtureEngineServices services, NurtureOptions? options)
    {
        ArgumentNullException.ThrowIfNull(services);
        _policy = policy;
        _policies = policies;
        _tenantOf = tenantOf;
        _store = Required(services.Store, nameof(services.Store));
        _lifecycle = Required(services.Lifecycle, nameof(services.Lifecycle));
        _scorer = Required(services.Scorer, nameof(services.Scorer));
        _content = Required(services.Content, nameof(services.Content));
        _handler = Required(services.StepHandler, nameof(services.StepHandler));
        _leads = Required(services.Leads, nameof(services.Leads));
        _decisions = Required(services.Decisions, nameof(services.Decisions));
        _time = Required(services.TimeProvider, nameof(services.TimeProvider));
        _options = options ?? new NurtureOptions();
        _handoff = services.Handoff;
        _owners = services.Owners;
        _logger = (ILogger?)services.LoggerFactory?.CreateLogger<NurtureEngine>() ?? NullLogger.Instance;
        var meterFactory = services.MeterFactory;
        var meter = meterFactory?.Create(AlignmentDiagnostics.MeterName) ?? new Meter(AlignmentDiagnostics.MeterName);
        _enrolled = meter.CreateCounter<long>("alignment.nurture.enrolled", "{lead}", "Leads put on a nurture track.");
        _steps = meter.CreateCounter<long>("alignment.nurture.steps", "{step}", "Nurture steps handled, by outcome.");
        _exits = meter.CreateCounter<long>("alignment.nurture.exits", "{lead}", "Leads leaving a nurture track, by exit.");
    }

    private static T Required<T>(T? value, string name)
        where T : class =>
        value ?? throw new ArgumentNullException(nameof(NurtureEngineServices) + "." + name, $"NurtureEngineServices.{name} is required.");

    /// <summary>
    /// Creates an engine that follows the nurture policies each tenant has active in a model registry: every enrolment and every step
    /// of a lead runs on the policy its tenant has active when it starts (a lock-free lookup), so activating a release or rolling back
    /// takes effect at the next step without a restart, and tenants never share a policy. An enrolment started under one version
    /// moves to the version active at its next step (a track the new version no longer has is replaced by the track it selects);
    /// <see cref="NurtureEnrolmentRecord.Policy"/> keeps the version that chose the track, and each step and decision the version it
    /// ran on.
    /// </summary>
    /// <param name="policies">The tenants' active nurture policies (an <see cref="ActiveModels{TModel}"/> over a <see cref="NurtureReleaseLoader"/>).</param>
    /// <param name="tenantOf">Tells a lead's tenant from its id; it must be a pure function.</param>
    /// <param name="services">What the engine works with: its store, step handler, scorer and the rest (shared by every tenant).</param>
    /// <param name="options">Scheduler settings; <see langword="null"/> for the defaults.</param>
    /// <returns>The engine. A tenant whose policy is not loaded yet in this process (after a restart) is read from the registry on its
    /// first lead. <see cref="PutOnTrackAsync"/> throws <see cref="InvalidOperationException"/> for a lead whose tenant has no active
    /// policy (or one that does not load here); a due step of such a lead is left alone (logged as <c>NoNurturePolicy</c>, Warning) and
    /// becomes due again when its lease expires.</returns>
    /// <exception cref="ArgumentNullException">An argument, or a required member of <paramref name="services"/>, is null.</exception>
    public static NurtureEngine ForActivePolicies(ActiveModels<NurturePolicy> policies, Func<LeadId, string> tenantOf, NurtureEngineServices services, NurtureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(tenantOf);
        return new NurtureEngine(null, policies, tenantOf, services, options);
    }

    /// <summary>The policy in force, for an engine built with one policy.</summary>
    /// <exception cref="InvalidOperationException">The engine follows a registry (<see cref="ForActivePolicies"/>): use <see cref="TryGetPolicy"/>.</exception>
    public NurturePolicy Policy => _policy ?? throw new InvalidOperationException("This nurture engine follows each tenant's active policy in a model registry; call TryGetPolicy with a lead.");

    /// <summary>The policy the engine would use for a lead now: its own policy, or the one the lead's tenant has active. A lock-free lookup.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="policy">The policy, or <see langword="null"/> when the lead's tenant has none taken up.</param>
    /// <returns><see langword="true"/> when there is a policy.</returns>
    public bool TryGetPolicy(LeadId leadId, [NotNullWhen(true)] out NurturePolicy? policy)
    {
        if (_policy is not null)
        {
            policy = _policy;
            return true;
        }

        return _policies!.TryGet(_tenantOf!(leadId), out policy);
    }

    /// <summary>
    /// The policy for a lead: its own, or its tenant's active one, loaded from the registry on the tenant's first lead in this process
    /// (after a restart, a tenant whose model was not loaded at start-up); <see langword="null"/> when the tenant has none active.
    /// </summary>
    private async ValueTask<NurturePolicy?> ResolvePolicyAsync(LeadId leadId, CancellationToken cancellationToken)
    {
        if (TryGetPolicy(leadId, out var policy))
        {
            return policy;
        }

        try
        {
            return (await _policies!.GetAsync(_tenantOf!(leadId), cancellationToken).ConfigureAwait(false)).Model;
        }
        catch (InvalidOperationException)
        {
            return null; // no active release, or the active one does not load here (the registry follower reported why)
        }
    }

    private async ValueTask<NurturePolicy> PolicyForAsync(LeadId leadId, CancellationToken cancellationToken) =>
        await ResolvePolicyAsync(leadId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Lead {leadId}: tenant '{_tenantOf!(leadId)}' has no nurture policy active in the model registry (or its active release does not load in this host); activate a release first.");

    /// <summary>Where the engine publishes the decisions its stores do not record (the campaign tracker publishes there too).</summary>
    internal IDecisionSink Decisions => _decisions;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is null.</exception>
    public async ValueTask<NurtureEnrolment> EnrolAsync(Lead lead, NurtureEntryReason reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var outcome = await PutOnTrackAsync(new NurtureEnrolmentRequest(lead, reason), cancellationToken).ConfigureAwait(false);
        return outcome.Enrolment.ToEnrolment();
    }

    /// <summary>
    /// Puts a lead on the track that fits its segment and reason. Its lifecycle moves to <see cref="LifecycleStage.Recycled"/> (with
    /// marketing, on nurture) first: a new inquiry goes "straight to nurture", a lead in a sales stage (or lost) is recycled. A lead already on a track stays there unless the new track has a higher priority (for example a webinar
    /// no-show follow-up); a lead whose contact stopped stays uncontacted on the new track.
    /// </summary>
    /// <param name="request">The lead, the reason and the context.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The enrolment in force, with why.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The lead is in the pipeline, won or disqualified: it cannot be nurtured; or the engine follows a registry and the lead's tenant has no policy taken up.</exception>
    public ValueTask<NurtureOutcome.Enrolled> PutOnTrackAsync(NurtureEnrolmentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return PutOnTrackCoreAsync(request, null, false, null, cancellationToken);
    }

    /// <summary>
    /// Puts a lead on a track, as <see cref="PutOnTrackAsync(NurtureEnrolmentRequest, CancellationToken)"/> does, from the lifecycle and
    /// the latest enrolment the caller has just read (from <see cref="LifecycleRecorder.EnsureStartedAsync"/> and
    /// <see cref="INurtureStore.FindLatestAsync"/>), which saves reading them again. Stale copies are safe: the lifecycle's move
    /// and the enrolment's insert or update are checked against the stored versions, and made again from the stores when another
    /// writer moved first. A lifecycle copy that asks for no move (already with marketing on nurture) or that cannot be
    /// nurtured, and an enrolment copy on a track, are read again first, so the answer is the one a fresh read gives.
    /// </summary>
    /// <param name="request">The lead, the reason and the context.</param>
    /// <param name="lifecycle">The lead's lifecycle as last read (<see cref="LifecycleRecorder.EnsureStartedAsync"/> gives a
    /// lead without one a started lifecycle).</param>
    /// <param name="latestEnrolment">The lead's latest enrolment as last read, or <see langword="null"/> when it had none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The enrolment in force, with why. The lead's lifecycle is then at <see cref="LifecycleStage.Recycled"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> or <paramref name="lifecycle"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="lifecycle"/> or <paramref name="latestEnrolment"/> is another lead's.</exception>
    /// <exception cref="InvalidOperationException">The lead is in the pipeline, won or disqualified: it cannot be nurtured; or the engine follows a registry and the lead's tenant has no policy taken up.</exception>
    /// <exception cref="InvalidLifecycleTransitionException">The stored lifecycle moved on since <paramref name="lifecycle"/> was read, to a stage that cannot be nurtured.</exception>
    public ValueTask<NurtureOutcome.Enrolled> PutOnTrackFromAsync(NurtureEnrolmentRequest request, LeadLifecycle lifecycle, NurtureEnrolmentRecord? latestEnrolment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(lifecycle);
        if (lifecycle.LeadId != request.Lead.Id)
        {
            throw new ArgumentException($"The lifecycle is lead {lifecycle.LeadId}'s; the request is for lead {request.Lead.Id}.", nameof(lifecycle));
        }

        if (latestEnrolment is not null && latestEnrolment.LeadId != request.Lead.Id)
        {
            throw new ArgumentException($"The enrolment is lead {latestEnrolment.LeadId}'s; the request is for lead {request.Lead.Id}.", nameof(latestEnrolment));
        }

        return PutOnTrackCoreAsync(request, lifecycle, true, latestEnrolment, cancellationToken);
    }

    private async ValueTask<NurtureOutcome.Enrolled> PutOnTrackCoreAsync(
        NurtureEnrolmentRequest request, LeadLifecycle? knownLifecycle, bool enrolmentKnown, NurtureEnrolmentRecord? knownLatest, CancellationToken cancellationToken)
    {
        var leadId = request.Lead.Id;
        var policy = await PolicyForAsync(leadId, cancellationToken).ConfigureAwait(false); // resolved once: the whole enrolment is made under it
        // The caller's copy is used only for a move (which the store checks against its version): a copy that asks for none or
        // refuses may be stale, so the store is read then, as without it.
        var lifecycle = knownLifecycle is { Stage: LifecycleStage.Inquiry or LifecycleStage.MarketingQualified or LifecycleStage.SalesAccepted or LifecycleStage.SalesQualified or LifecycleStage.Lost }
            ? knownLifecycle
            : await _lifecycle.EnsureStartedAsync(leadId, cancellationToken).ConfigureAwait(false);
        switch (lifecycle.Stage)
        {
            case LifecycleStage.Recycled:
                break;
            case LifecycleStage.Inquiry:
                await _lifecycle.TransitionFromAsync(lifecycle, LifecycleStage.Recycled, request.Actor, StraightToNurture(request), null, cancellationToken).ConfigureAwait(false);
                break;
            case LifecycleStage.MarketingQualified or LifecycleStage.SalesAccepted or LifecycleStage.SalesQualified or LifecycleStage.Lost:
                var why = request.Note is null ? $"recycled to nurture: {request.Reason}" : $"recycled to nurture: {request.Reason} ({request.Note})";
                await _lifecycle.TransitionFromAsync(lifecycle, LifecycleStage.Recycled, request.Actor, why, null, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException($"Lead {leadId} is at stage {lifecycle.Stage}; only leads with marketing, with sales before the pipeline, or lost can be nurtured.");
        }

        return await EnrolCoreAsync(request, policy, enrolmentKnown, knownLatest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Puts a lead the stores have never seen on a track in two writes, reading neither its lifecycle nor its enrolment first (a
    /// registry-following engine may still look up the tenant's policy): its lifecycle starts at
    /// <see cref="LifecycleStage.Recycled"/> ("straight to nurture", <see cref="LifecycleRecorder.TryStartAsync"/>), then its first
    /// enrolment is inserted (when the nurture store has one after all, the enrolment is made from it, as
    /// <see cref="PutOnTrackAsync(NurtureEnrolmentRequest, CancellationToken)"/> does). When the lifecycle store already has the
    /// lead, nothing is written and <see langword="null"/> is returned: the lead's state came from elsewhere, so the caller reads
    /// it and decides from it (for example with <see cref="PutOnTrackFromAsync"/>).
    /// </summary>
    /// <param name="request">The lead, the reason and the context.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The enrolment in force, with why; or <see langword="null"/> when the lead already had a lifecycle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The engine follows a registry and the lead's tenant has no policy taken up (nothing is written); or concurrent writers kept winning the enrolment after many attempts (the lifecycle is then at <see cref="LifecycleStage.Recycled"/>).</exception>
    public async ValueTask<NurtureOutcome.Enrolled?> TryPutNewLeadOnTrackAsync(NurtureEnrolmentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var policy = await PolicyForAsync(request.Lead.Id, cancellationToken).ConfigureAwait(false);
        if (await _lifecycle.TryStartAsync(request.Lead.Id, LifecycleStage.Recycled, request.Actor, StraightToNurture(request), null, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        // No enrolment is read: a lead without a lifecycle has none (the engine moves the lifecycle before it enrols). Should the
        // store have one all the same, the insert fails its check and the next attempt reads it.
        return await EnrolCoreAsync(request, policy, true, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The reason of a move straight to nurture. Leads put on a track alike (same entry reason and note) share one string: a
    /// lifecycle keeps its reason, and an in-memory store keeps every lead's, so a string made per lead is one more object per
    /// lead for the GC (the last text made is reused while the next request matches it).
    /// </summary>
    private string StraightToNurture(NurtureEnrolmentRequest request)
    {
        var last = _lastStraightToNurture; // read once: another thread may replace it meanwhile
        if (last is not null && last.Reason == request.Reason && string.Equals(last.Note, request.Note, StringComparison.Ordinal))
        {
            return last.Text;
        }

        string text = request.Note is null ? $"straight to nurture: {request.Reason}" : $"straight to nurture: {request.Reason} ({request.Note})";
        _lastStraightToNurture = new StraightToNurtureText(request.Reason, request.Note, text);
        return text;
    }

    private sealed record StraightToNurtureText(NurtureEntryReason Reason, string? Note, string Text);

    private async ValueTask<NurtureOutcome.Enrolled> EnrolCoreAsync(
        NurtureEnrolmentRequest request, NurturePolicy policy, bool enrolmentKnown, NurtureEnrolmentRecord? knownLatest, CancellationToken cancellationToken)
    {
        var leadId = request.Lead.Id;
        var track = policy.SelectTrack(request.Segment, request.Reason);
        long started = Stopwatch.GetTimestamp();
        int attempt = 0;
        for (; await ConflictRetry.BeforeAttemptAsync(attempt, started, cancellationToken).ConfigureAwait(false); attempt++)
        {
            var now = _time.GetUtcNow();
            // The caller's copy serves the first attempt only, and only when it is not on a track: an insert from a stale one fails
            // the store's check and the next attempt reads, but "already on a track" would be answered from the copy unchecked.
            var latest = attempt == 0 && enrolmentKnown && knownLatest is not { IsOnTrack: true }
                ? knownLatest
                : await _store.FindLatestAsync(leadId, cancellationToken).ConfigureAwait(false);
            var record = NewRecord(policy, leadId, (latest?.Sequence ?? 0) + 1, track, request.Reason, request.Segment, request.Campaign, now);
            var because = $"track '{track.Id}' (priority {track.Priority}) is the first that serves {Describe(request.Segment)} and entry reason {request.Reason} in policy {policy.Id}@{policy.Version}";
            if (latest is { IsOnTrack: true })
            {
                var currentPriority = policy.TryGetTrack(latest.TrackId, out var current) ? current.Priority : int.MinValue;
                if (latest.TrackId == track.Id || track.Priority <= currentPriority)
                {
                    return new NurtureOutcome.Enrolled(latest, $"already on track '{latest.TrackId}' since {Day(latest.EnrolledAt)}; a lead is on one track at a time, and '{track.Id}' (priority {track.Priority}) does not outrank it (priority {currentPriority})");
                }

                if (latest.Status == NurtureEnrolmentStatus.ContactStopped)
                {
                    record = record with { Status = NurtureEnrolmentStatus.ContactStopped, NextDueAt = null, StatusReason = latest.StatusReason };
                }

                var ended = End(latest, now, $"replaced by higher-priority track '{track.Id}' for {request.Reason}");
                if (await TryUpdateAsync(ended, latest.Version, record, Exited(latest, NurtureExit.TrackChanged, now, ended.StatusReason!), cancellationToken).ConfigureAwait(false))
                {
                    _exits.Add(1, new KeyValuePair<string, object?>("exit", "replaced"));
                    return await PublishEnrolledAsync(record with { Version = 1 }, $"moved from track '{latest.TrackId}': {because}", cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            if (await _store.TryInsertAsync(record, cancellationToken).ConfigureAwait(false))
            {
                return await PublishEnrolledAsync(record with { Version = 1 }, because, cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException($"Lead {leadId}: could not enrol after {ConflictRetry.Describe(attempt, started)} (concurrent writers).");
    }

    /// <summary>Answers "what is due now" without claiming or sending anything (a read-only query over the due-time index).</summary>
    /// <param name="maxCount">The most items to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The due items, earliest first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is not positive.</exception>
    public ValueTask<IReadOnlyList<NurtureDueItem>> GetDueAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        return _store.PeekDueAsync(_time.GetUtcNow(), maxCount, cancellationToken);
    }

    /// <summary>
    /// Claims what is due now (at most <see cref="NurtureOptions.BatchSize"/> enrolments) and handles each: exit checks, quiet
    /// periods, content choice, the step itself. Safe to call from several instances at once and to call again after a crash.
    /// </summary>
    /// <param name="cancellationToken">Cancels the run between leads; claimed but unhandled steps become due again when their lease expires.</param>
    /// <returns>What the run did.</returns>
    public async ValueTask<NurtureRunResult> RunDueAsync(CancellationToken cancellationToken = default)
    {
        using var activity = AlignmentDiagnostics.ActivitySource.StartActivity("alignment.nurture.run");
        var now = _time.GetUtcNow();
        var claimed = await _store.ClaimDueAsync(now, _options.BatchSize, _options.InstanceId, now + _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
        var outcomes = ImmutableArray.CreateBuilder<NurtureOutcome>(claimed.Count);
        foreach (var record in claimed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = await HandleAsync(record, sendSteps: true, cancellationToken).ConfigureAwait(false);
            if (outcome is not null)
            {
                outcomes.Add(outcome);
            }
        }

        activity?.SetTag("alignment.nurture.claimed", claimed.Count);
        activity?.SetTag("alignment.nurture.outcomes", outcomes.Count);
        return new NurtureRunResult(now, claimed.Count, outcomes.ToImmutable());
    }

    /// <summary>
    /// Checks a nurtured lead's exit rules now, without sending a step: call it when the CRM reports new activity, so that a lead
    /// whose score crossed MQL goes back to handoff at once rather than at its next step.
    /// </summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The exit taken, or <see langword="null"/> when the lead stays where it is (or is not on a track).</returns>
    public async ValueTask<NurtureOutcome?> ReevaluateAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        var latest = await _store.FindLatestAsync(leadId, cancellationToken).ConfigureAwait(false);
        if (latest is null || !latest.IsOnTrack)
        {
            return null;
        }

        return await HandleAsync(latest, sendSteps: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops all contact with a lead (the CRM reports an unsubscribe or a hard bounce): it stays on its track, with marketing, on record.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="reason">Why (for example <c>unsubscribed via preference centre</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome, or <see langword="null"/> when the lead is not on a track.</returns>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty.</exception>
    public async ValueTask<NurtureOutcome?> StopContactAsync(LeadId leadId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        long started = Stopwatch.GetTimestamp();
        int attempt = 0;
        for (; await ConflictRetry.BeforeAttemptAsync(attempt, started, cancellationToken).ConfigureAwait(false); attempt++)
        {
            var latest = await _store.FindLatestAsync(leadId, cancellationToken).ConfigureAwait(false);
            if (latest is null || !latest.IsOnTrack)
            {
                return null;
            }

            var now = _time.GetUtcNow();
            var outcome = StopContact(TryGetPolicy(leadId, out var policy) ? policy : null, latest, now, reason, out var stopped);
            if (await _store.TryUpdateAsync(stopped, latest.Version, null, null, cancellationToken).ConfigureAwait(false))
            {
                return outcome;
            }
        }

        throw new InvalidOperationException($"Lead {leadId}: could not stop contact after {ConflictRetry.Describe(attempt, started)} (concurrent writers).");
    }

    /// <summary>Disqualifies a lead explicitly: its lifecycle moves to <see cref="LifecycleStage.Disqualified"/> with the reason, and its track ends.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="reason">Why (not a fit, bad data, duplicate…).</param>
    /// <param name="actor">Who disqualified it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty.</exception>
    /// <exception cref="InvalidLifecycleTransitionException">The lead's stage cannot move to disqualified.</exception>
    public async ValueTask<NurtureOutcome> DisqualifyAsync(LeadId leadId, string reason, LifecycleActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var lifecycle = await _lifecycle.TransitionAsync(leadId, LifecycleStage.Disqualified, actor, reason, null, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        long started = Stopwatch.GetTimestamp();
        int attempt = 0;
        for (; await ConflictRetry.BeforeAttemptAsync(attempt, started, cancellationToken).ConfigureAwait(false); attempt++)
        {
            var latest = await _store.FindLatestAsync(leadId, cancellationToken).ConfigureAwait(false);
            if (latest is null || !latest.IsOnTrack)
            {
                return new NurtureOutcome.Ended(leadId, latest?.TrackId ?? "-", lifecycle.Stage, now, $"disqualified by {actor}: {reason}");
            }

            var why = $"left track '{latest.TrackId}': disqualified by {actor}: {reason}";
            if (await TryUpdateAsync(End(latest, now, $"disqualified by {actor}: {reason}"), latest.Version, null, Exited(latest, NurtureExit.LeftMarketing, now, why), cancellationToken).ConfigureAwait(false))
            {
                _exits.Add(1, new KeyValuePair<string, object?>("exit", "disqualified"));
                return new NurtureOutcome.Ended(leadId, latest.TrackId, lifecycle.Stage, now, why);
            }
        }

        throw new InvalidOperationException($"Lead {leadId}: could not end its track after {ConflictRetry.Describe(attempt, started)} (concurrent writers).");
    }
}
