using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using System.Globalization;
using Alignment.Activities;
using Alignment.Decisions;
using Alignment.Diagnostics;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
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
/// </remarks>
public sealed class NurtureEngine : INurturePolicy
{
    private const int MaxAttempts = 8;
    private readonly NurturePolicy _policy;
    private readonly INurtureStore _store;
    private readonly LifecycleRecorder _lifecycle;
    private readonly ILeadScorer _scorer;
    private readonly INurtureContentProvider _content;
    private readonly INurtureStepHandler _handler;
    private readonly ILeadSnapshotSource _leads;
    private readonly IDecisionSink _decisions;
    private readonly TimeProvider _time;
    private readonly IHandoffPolicy? _handoff;
    private readonly ILeadOwnerLookup? _owners;
    private readonly NurtureOptions _options;
    private readonly Counter<long> _enrolled;
    private readonly Counter<long> _steps;
    private readonly Counter<long> _exits;

    /// <summary>Creates the engine.</summary>
    /// <param name="policy">The compiled policy.</param>
    /// <param name="store">Enrolments, due times and sent steps.</param>
    /// <param name="lifecycle">Makes (and publishes) lifecycle transitions.</param>
    /// <param name="scorer">Scores a lead at each due step, for the MQL exit.</param>
    /// <param name="content">Gives steps their collateral.</param>
    /// <param name="handler">Carries out steps (e-mail, rep task).</param>
    /// <param name="leads">Reads the lead and its activities when a step falls due.</param>
    /// <param name="decisions">Receives enrolments.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="options">Scheduler settings; <see langword="null"/> for the defaults.</param>
    /// <param name="handoff">Routes a lead whose score crossed MQL; <see langword="null"/> to leave routing to the host (the lead is then MQL without an owner until routed, which the audit reports).</param>
    /// <param name="owners">Checks, after routing, that a rep or queue really holds the lead; when none does, the lead stays on its track (recycled) instead of being dropped. <see langword="null"/> to trust the handoff policy.</param>
    /// <param name="meterFactory">Creates the meter; <see langword="null"/> for a meter of its own.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    public NurtureEngine(
        NurturePolicy policy,
        INurtureStore store,
        LifecycleRecorder lifecycle,
        ILeadScorer scorer,
        INurtureContentProvider content,
        INurtureStepHandler handler,
        ILeadSnapshotSource leads,
        IDecisionSink decisions,
        TimeProvider timeProvider,
        NurtureOptions? options = null,
        IHandoffPolicy? handoff = null,
        ILeadOwnerLookup? owners = null,
        IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(lifecycle);
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _policy = policy;
        _store = store;
        _lifecycle = lifecycle;
        _scorer = scorer;
        _content = content;
        _handler = handler;
        _leads = leads;
        _decisions = decisions;
        _time = timeProvider;
        _options = options ?? new NurtureOptions();
        _handoff = handoff;
        _owners = owners;
        var meter = meterFactory?.Create(AlignmentDiagnostics.MeterName) ?? new Meter(AlignmentDiagnostics.MeterName);
        _enrolled = meter.CreateCounter<long>("alignment.nurture.enrolled", "{lead}", "Leads put on a nurture track.");
        _steps = meter.CreateCounter<long>("alignment.nurture.steps", "{step}", "Nurture steps handled, by outcome.");
        _exits = meter.CreateCounter<long>("alignment.nurture.exits", "{lead}", "Leads leaving a nurture track, by exit.");
    }

    /// <summary>The policy in force.</summary>
    public NurturePolicy Policy => _policy;

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
    /// <exception cref="InvalidOperationException">The lead is in the pipeline, won or disqualified: it cannot be nurtured.</exception>
    public async ValueTask<NurtureOutcome.Enrolled> PutOnTrackAsync(NurtureEnrolmentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var leadId = request.Lead.Id;
        var lifecycle = await _lifecycle.EnsureStartedAsync(leadId, cancellationToken).ConfigureAwait(false);
        switch (lifecycle.Stage)
        {
            case LifecycleStage.Recycled:
                break;
            case LifecycleStage.Inquiry:
                var straight = request.Note is null ? $"straight to nurture: {request.Reason}" : $"straight to nurture: {request.Reason} ({request.Note})";
                await _lifecycle.TransitionAsync(leadId, LifecycleStage.Recycled, request.Actor, straight, null, cancellationToken).ConfigureAwait(false);
                break;
            case LifecycleStage.MarketingQualified or LifecycleStage.SalesAccepted or LifecycleStage.SalesQualified or LifecycleStage.Lost:
                var why = request.Note is null ? $"recycled to nurture: {request.Reason}" : $"recycled to nurture: {request.Reason} ({request.Note})";
                await _lifecycle.TransitionAsync(leadId, LifecycleStage.Recycled, request.Actor, why, null, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException($"Lead {leadId} is at stage {lifecycle.Stage}; only leads with marketing, with sales before the pipeline, or lost can be nurtured.");
        }

        var track = _policy.SelectTrack(request.Segment, request.Reason);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var now = _time.GetUtcNow();
            var latest = await _store.FindLatestAsync(leadId, cancellationToken).ConfigureAwait(false);
            var record = NewRecord(leadId, (latest?.Sequence ?? 0) + 1, track, request.Reason, request.Segment, request.Campaign, now);
            var because = $"track '{track.Id}' (priority {track.Priority}) is the first that serves {Describe(request.Segment)} and entry reason {request.Reason} in policy {_policy.Id}@{_policy.Version}";
            if (latest is { IsOnTrack: true })
            {
                var currentPriority = _policy.TryGetTrack(latest.TrackId, out var current) ? current.Priority : int.MinValue;
                if (latest.TrackId == track.Id || track.Priority <= currentPriority)
                {
                    return new NurtureOutcome.Enrolled(latest, $"already on track '{latest.TrackId}' since {Day(latest.EnrolledAt)}; a lead is on one track at a time, and '{track.Id}' (priority {track.Priority}) does not outrank it (priority {currentPriority})");
                }

                if (latest.Status == NurtureEnrolmentStatus.ContactStopped)
                {
                    record = record with { Status = NurtureEnrolmentStatus.ContactStopped, NextDueAt = null, StatusReason = latest.StatusReason };
                }

                var ended = End(latest, now, $"replaced by higher-priority track '{track.Id}' for {request.Reason}");
                if (await _store.TryUpdateAsync(ended, latest.Version, record, cancellationToken).ConfigureAwait(false))
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

        throw new InvalidOperationException($"Lead {leadId}: could not enrol after {MaxAttempts} attempts (concurrent writers).");
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
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var latest = await _store.FindLatestAsync(leadId, cancellationToken).ConfigureAwait(false);
            if (latest is null || !latest.IsOnTrack)
            {
                return null;
            }

            var now = _time.GetUtcNow();
            var outcome = StopContact(latest, now, reason, out var stopped);
            if (await _store.TryUpdateAsync(stopped, latest.Version, null, cancellationToken).ConfigureAwait(false))
            {
                return outcome;
            }
        }

        throw new InvalidOperationException($"Lead {leadId}: could not stop contact after {MaxAttempts} attempts (concurrent writers).");
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
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var latest = await _store.FindLatestAsync(leadId, cancellationToken).ConfigureAwait(false);
            if (latest is null || !latest.IsOnTrack)
            {
                return new NurtureOutcome.Ended(leadId, latest?.TrackId ?? "-", lifecycle.Stage, now, $"disqualified by {actor}: {reason}");
            }

            if (await _store.TryUpdateAsync(End(latest, now, $"disqualified by {actor}: {reason}"), latest.Version, null, cancellationToken).ConfigureAwait(false))
            {
                _exits.Add(1, new KeyValuePair<string, object?>("exit", "disqualified"));
                return new NurtureOutcome.Ended(leadId, latest.TrackId, lifecycle.Stage, now, $"left track '{latest.TrackId}': disqualified by {actor}: {reason}");
            }
        }

        throw new InvalidOperationException($"Lead {leadId}: could not end its track after {MaxAttempts} attempts (concurrent writers).");
    }

    private const string StopPrefix = "contact stopped: ";

    private async ValueTask<NurtureOutcome?> HandleAsync(NurtureEnrolmentRecord record, bool sendSteps, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var leadId = record.LeadId;
        if (!_policy.TryGetTrack(record.TrackId, out var track))
        {
            var replacement = _policy.SelectTrack(record.Segment, record.Reason);
            return await MoveAsync(record, replacement, now, $"track '{record.TrackId}' is not in policy {_policy.Id}@{_policy.Version}", cancellationToken).ConfigureAwait(false);
        }

        var lifecycle = await _lifecycle.EnsureStartedAsync(leadId, cancellationToken).ConfigureAwait(false);
        var snapshot = await _leads.FindAsync(leadId, cancellationToken).ConfigureAwait(false);
        if (lifecycle.Stage is not (LifecycleStage.Inquiry or LifecycleStage.Recycled))
        {
            HandoffDecision? routed = null;
            if (lifecycle.Stage == LifecycleStage.MarketingQualified && _handoff is not null && snapshot is not null)
            {
                // Resuming an MQL exit that stopped before routing: routing is idempotent.
                var card = _scorer.Score(snapshot.Lead, snapshot.Activities.AsSpan(), now);
                routed = await _handoff.RouteAsync(new HandoffRequest(snapshot.Lead, card, snapshot.Segment ?? record.Segment), cancellationToken).ConfigureAwait(false);
            }

            var why = $"left track '{record.TrackId}': the lead is at lifecycle stage {lifecycle.Stage}, no longer with marketing" + (routed is null ? string.Empty : $"; routed by '{routed.RuleId}'");
            return await EndAsync(record, now, why, "left-marketing", new NurtureOutcome.Ended(leadId, record.TrackId, lifecycle.Stage, now, why), cancellationToken).ConfigureAwait(false);
        }

        if (record.Status == NurtureEnrolmentStatus.ContactStopped)
        {
            // No contact, but the exits are still checked once a cadence: a lead that becomes sales-ready goes back to handoff.
            if (snapshot is not null && _scorer.Score(snapshot.Lead, snapshot.Activities.AsSpan(), now) is { State: >= QualificationState.MarketingQualified } card)
            {
                return await ExitToHandoffAsync(record, snapshot, card, now, cancellationToken).ConfigureAwait(false);
            }

            if (!sendSteps)
            {
                return null;
            }

            var nextCheck = now + track.Cadence;
            var why = $"contact stopped on track '{track.Id}' ({record.StatusReason?.Replace(StopPrefix, string.Empty, StringComparison.Ordinal).Split(';')[0]}): nothing sent; exits checked again on {Day(nextCheck)}";
            return await SaveAsync(record, Release(record) with { NextDueAt = nextCheck }, new NurtureOutcome.Paused(leadId, track.Id, nextCheck, now, why), "checked", cancellationToken).ConfigureAwait(false);
        }

        if (snapshot is null)
        {
            if (!sendSteps)
            {
                return null;
            }

            var until = now + _options.MissingLeadRetry;
            var why = $"step {record.NextStep + 1} of track '{record.TrackId}' paused until {Day(until)}: the CRM did not return the lead";
            return await SaveAsync(record, Release(record) with { NextDueAt = until }, new NurtureOutcome.Paused(leadId, record.TrackId, until, now, why), "paused", cancellationToken).ConfigureAwait(false);
        }

        if (FindStop(snapshot.Activities, now) is { } stop)
        {
            var reason = $"{(stop.Type == ActivityType.Unsubscribed ? "unsubscribed" : "e-mail bounced")} on {Day(stop.Timestamp)}";
            var outcome = StopContact(record, now, reason, out var stopped);
            return await SaveAsync(record, stopped, outcome, "contact-stopped", cancellationToken).ConfigureAwait(false);
        }

        var score = _scorer.Score(snapshot.Lead, snapshot.Activities.AsSpan(), now);
        if (score.State >= QualificationState.MarketingQualified)
        {
            return await ExitToHandoffAsync(record, snapshot, score, now, cancellationToken).ConfigureAwait(false);
        }

        if (!sendSteps)
        {
            return null;
        }

        if (track.MaxTimeOnTrack is { } max && now - record.EnrolledAt >= max)
        {
            return await MoveAsync(record, Next(track), now, $"maximum time on track '{track.Id}' reached ({max.TotalDays:0} days since {Day(record.EnrolledAt)})", cancellationToken).ConfigureAwait(false);
        }

        if (record.NextStep >= track.Steps.Length)
        {
            return await MoveAsync(record, Next(track), now, $"track '{track.Id}' exhausted: all {track.Steps.Length} steps sent", cancellationToken).ConfigureAwait(false);
        }

        var step = track.Steps[record.NextStep];
        var position = $"step {record.NextStep + 1}/{track.Steps.Length} '{step.Id}' of track '{track.Id}'";
        if (track.IsQuiet(now, out var quietUntil, out var quietName))
        {
            var why = $"{position} paused until {Day(quietUntil)}: {quietName}";
            return await SaveAsync(record, Release(record) with { NextDueAt = quietUntil }, new NurtureOutcome.Paused(leadId, track.Id, quietUntil, now, why), "paused", cancellationToken).ConfigureAwait(false);
        }

        var advanced = Release(record) with
        {
            NextStep = record.NextStep + 1,
            NextDueAt = now + (record.NextStep + 1 < track.Steps.Length ? track.Steps[record.NextStep + 1].Delay : track.Cadence),
        };
        var scoreText = $"score {score.Total.ToString(CultureInfo.InvariantCulture)} ({score.State}, {score.ModelId}@{score.ModelVersion}) is below MQL";
        if (await _store.WasSentAsync(record.EnrolmentId, record.NextStep, cancellationToken).ConfigureAwait(false))
        {
            var why = $"{position} was already sent before a restart; not sent again";
            var sent = new NurtureSentStep(record.EnrolmentId, leadId, track.Id, record.NextStep, step.Id, step.Kind, null, now, why);
            return await SaveAsync(record, advanced, new NurtureOutcome.StepSent(sent, Repeated: true), "repeat-suppressed", cancellationToken).ConfigureAwait(false);
        }

        NurtureContent? content = null;
        var contentText = "no collateral";
        if (step.Topic is { } topic)
        {
            var (chosen, text) = await ChooseContentAsync(record, snapshot, topic, now, cancellationToken).ConfigureAwait(false);
            if (chosen is null)
            {
                var why = $"{position} skipped: {text}";
                return await SaveAsync(record, advanced, new NurtureOutcome.StepSkipped(leadId, track.Id, step.Id, now, why), "skipped", cancellationToken).ConfigureAwait(false);
            }

            content = chosen;
            contentText = text;
        }

        var explanation = $"{position} (entered {Day(record.EnrolledAt)} for {record.Reason}, {Describe(record.Segment)}): {(step.Kind == NurtureStepKind.Email ? "e-mail" : "rep call task")} with {contentText}; {scoreText}";
        var sentStep = new NurtureSentStep(record.EnrolmentId, leadId, track.Id, record.NextStep, step.Id, step.Kind, content?.Id, now, explanation);
        await _handler.ExecuteAsync(new NurtureStepExecution(sentStep.IdempotencyKey, snapshot.Lead, track.Id, step, content, record.Campaign, now, explanation), cancellationToken).ConfigureAwait(false);
        await _store.TryRecordSentAsync(sentStep, cancellationToken).ConfigureAwait(false);
        return await SaveAsync(record, advanced, new NurtureOutcome.StepSent(sentStep, Repeated: false), "sent", cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<(NurtureContent? Content, string Text)> ChooseContentAsync(NurtureEnrolmentRecord record, LeadSnapshot snapshot, string topic, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var segment = snapshot.Segment ?? record.Segment;
        var candidates = await _content.GetCandidatesAsync(new NurtureContentQuery(record.LeadId, segment, topic, record.Campaign, now), cancellationToken).ConfigureAwait(false);
        var alreadySent = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in await _store.ListSentAsync(record.LeadId, cancellationToken).ConfigureAwait(false))
        {
            if (s.ContentId is not null)
            {
                alreadySent.Add(s.ContentId);
            }
        }

        int unapproved = 0, stale = 0, expired = 0, otherAudience = 0, sent = 0;
        NurtureContent? best = null;
        foreach (var c in candidates)
        {
            if (!string.Equals(c.Topic, topic, StringComparison.Ordinal) || (c.Segment is { } cs && cs != segment) || (c.Campaign is not null && !string.Equals(c.Campaign, record.Campaign, StringComparison.Ordinal)))
            {
                otherAudience++;
            }
            else if (!c.Approved)
            {
                unapproved++;
            }
            else if (c.PublishedAt > now || now - c.PublishedAt > _policy.ContentMaxAge)
            {
                stale++;
            }
            else if (c.ExpiresAt is { } exp && exp <= now)
            {
                expired++;
            }
            else if (alreadySent.Contains(c.Id))
            {
                sent++;
            }
            else if (best is null || Better(c, best))
            {
                best = c;
            }
        }

        var passedOver = $"{candidates.Count} candidates on topic '{topic}': {unapproved} unapproved, {stale} not fresh (older than {_policy.ContentMaxAge.TotalDays:0} days), {expired} expired, {sent} already sent to the lead, {otherAudience} for another segment or campaign";
        if (best is null)
        {
            return (null, $"no fresh, approved collateral not yet sent ({passedOver})");
        }

        return (best, $"'{best.Id}' ({(best.Segment is null ? "any segment" : $"segment {best.Segment}")}, approved, published {Day(best.PublishedAt)}) as the newest fresh, approved collateral not yet sent ({passedOver})");
    }

    private static bool Better(NurtureContent candidate, NurtureContent best)
    {
        var specific = (candidate.Segment is null ? 0 : 2) + (candidate.Campaign is null ? 0 : 1);
        var bestSpecific = (best.Segment is null ? 0 : 2) + (best.Campaign is null ? 0 : 1);
        if (specific != bestSpecific)
        {
            return specific > bestSpecific;
        }

        var c = candidate.PublishedAt.CompareTo(best.PublishedAt);
        return c != 0 ? c > 0 : string.CompareOrdinal(candidate.Id, best.Id) < 0;
    }

    private async ValueTask<NurtureOutcome?> ExitToHandoffAsync(NurtureEnrolmentRecord record, LeadSnapshot snapshot, ScoreCard score, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var model = $"{score.ModelId}@{score.ModelVersion}";
        var reason = $"score {score.Total.ToString(CultureInfo.InvariantCulture)} and grade {score.Grade} reached {score.State} under {model} while on nurture track '{record.TrackId}'";
        await _lifecycle.TransitionAsync(record.LeadId, LifecycleStage.MarketingQualified, LifecycleActor.System, reason, model, cancellationToken).ConfigureAwait(false);
        HandoffDecision? decision = null;
        if (_handoff is not null)
        {
            decision = await _handoff.RouteAsync(new HandoffRequest(snapshot.Lead, score, snapshot.Segment ?? record.Segment), cancellationToken).ConfigureAwait(false);
        }

        var routed = decision switch
        {
            HandoffDecision.Assigned a => $"; routed to rep {a.Rep} by '{a.RuleId}'",
            HandoffDecision.Queued q => $"; routed to queue '{q.Queue}' by '{q.RuleId}'",
            _ => "; awaiting routing by the host",
        };
        if (decision is not null && _owners is not null && await _owners.FindOwnerAsync(record.LeadId, cancellationToken).ConfigureAwait(false) is null)
        {
            // The handoff answered, but no rep or queue holds the lead (for example a closed handoff was returned): never drop it.
            var kept = $"kept on nurture track '{record.TrackId}': {reason}{routed}, but no rep or queue holds the lead afterwards";
            await _lifecycle.TransitionAsync(record.LeadId, LifecycleStage.Recycled, LifecycleActor.System, kept, model, cancellationToken).ConfigureAwait(false);
            var retry = now + (_policy.TryGetTrack(record.TrackId, out var t) ? t.Cadence : TimeSpan.FromDays(1));
            _exits.Add(1, new KeyValuePair<string, object?>("exit", "handoff-refused"));
            return await SaveAsync(record, Release(record) with { NextDueAt = retry }, new NurtureOutcome.Paused(record.LeadId, record.TrackId, retry, now, kept), "handoff-refused", cancellationToken).ConfigureAwait(false);
        }

        var why = $"back to handoff: {reason}{routed}";
        return await EndAsync(record, now, why, "mql", new NurtureOutcome.ExitedToHandoff(record.LeadId, record.TrackId, score, decision, now, why), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<NurtureOutcome?> MoveAsync(NurtureEnrolmentRecord record, NurtureTrack to, DateTimeOffset now, string because, CancellationToken cancellationToken)
    {
        var next = NewRecord(record.LeadId, record.Sequence + 1, to, record.Reason, record.Segment, record.Campaign, now);
        var why = $"{because}; moved to track '{to.Id}'";
        var ended = End(record, now, why);
        if (!await _store.TryUpdateAsync(ended, record.Version, next, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        _exits.Add(1, new KeyValuePair<string, object?>("exit", "track-changed"));
        _steps.Add(1, new KeyValuePair<string, object?>("outcome", "track-changed"));
        await PublishEnrolledAsync(next with { Version = 1 }, why, cancellationToken).ConfigureAwait(false);
        return new NurtureOutcome.TrackChanged(record.LeadId, record.TrackId, to.Id, now, why);
    }

    private async ValueTask<NurtureOutcome?> EndAsync(NurtureEnrolmentRecord record, DateTimeOffset now, string why, string exit, NurtureOutcome outcome, CancellationToken cancellationToken)
    {
        if (!await _store.TryUpdateAsync(End(record, now, why), record.Version, null, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        _exits.Add(1, new KeyValuePair<string, object?>("exit", exit));
        return outcome;
    }

    private async ValueTask<NurtureOutcome?> SaveAsync(NurtureEnrolmentRecord current, NurtureEnrolmentRecord next, NurtureOutcome outcome, string tag, CancellationToken cancellationToken)
    {
        if (!await _store.TryUpdateAsync(next, current.Version, null, cancellationToken).ConfigureAwait(false))
        {
            // The lease was lost to another instance (or the lead changed meanwhile); that writer's result stands.
            return null;
        }

        _steps.Add(1, new KeyValuePair<string, object?>("outcome", tag));
        return outcome;
    }

    private async ValueTask<NurtureOutcome.Enrolled> PublishEnrolledAsync(NurtureEnrolmentRecord record, string why, CancellationToken cancellationToken)
    {
        _enrolled.Add(1, new KeyValuePair<string, object?>("track", record.TrackId), new KeyValuePair<string, object?>("reason", record.Reason.ToString()));
        await _decisions.PublishAsync(new AlignmentDecision.Enrolled(record.ToEnrolment()), cancellationToken).ConfigureAwait(false);
        return new NurtureOutcome.Enrolled(record, why);
    }

    private TimeSpan CheckInterval(NurtureEnrolmentRecord record) =>
        _policy.TryGetTrack(record.TrackId, out var track) ? track.Cadence : TimeSpan.FromDays(30);

    private NurtureTrack Next(NurtureTrack track) =>
        _policy.TryGetTrack(track.OnExhausted, out var next) ? next : track;

    private NurtureEnrolmentRecord NewRecord(LeadId leadId, int sequence, NurtureTrack track, NurtureEntryReason reason, Segmentation.SegmentId? segment, string? campaign, DateTimeOffset now) => new()
    {
        LeadId = leadId,
        Sequence = sequence,
        TrackId = track.Id,
        Reason = reason,
        Segment = segment,
        Campaign = campaign,
        EnrolledAt = now,
        PolicyVersion = _policy.Version,
        NextStep = 0,
        NextDueAt = now + track.Steps[0].Delay,
        Status = NurtureEnrolmentStatus.Active,
    };

    private NurtureOutcome.ContactStopped StopContact(NurtureEnrolmentRecord record, DateTimeOffset now, string reason, out NurtureEnrolmentRecord stopped)
    {
        var why = $"{StopPrefix}{reason}; the lead stays with marketing on track '{record.TrackId}', on record, and is not contacted again";
        stopped = Release(record) with { Status = NurtureEnrolmentStatus.ContactStopped, NextDueAt = now + CheckInterval(record), StatusReason = why };
        return new NurtureOutcome.ContactStopped(record.LeadId, record.TrackId, now, why);
    }

    private static NurtureEnrolmentRecord End(NurtureEnrolmentRecord record, DateTimeOffset now, string why) =>
        Release(record) with { Status = NurtureEnrolmentStatus.Ended, NextDueAt = null, EndedAt = now, StatusReason = why };

    private static NurtureEnrolmentRecord Release(NurtureEnrolmentRecord record) => record with { LeaseOwner = null, LeaseUntil = null };

    private static LeadActivity? FindStop(ImmutableArray<LeadActivity> activities, DateTimeOffset now)
    {
        LeadActivity? found = null;
        foreach (var a in activities)
        {
            if (a.Type is ActivityType.Unsubscribed or ActivityType.Bounced && a.Timestamp <= now && (found is null || a.Timestamp < found.Value.Timestamp))
            {
                found = a;
            }
        }

        return found;
    }

    private static string Describe(Segmentation.SegmentId? segment) => segment is { } s ? $"segment '{s}'" : "an unsegmented lead";

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
