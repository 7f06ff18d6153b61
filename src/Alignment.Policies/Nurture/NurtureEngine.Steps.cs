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

// One enrolment at a time: the due step sent with fresh content, exits to sales, track changes, ends, and saving each at its version.
public sealed partial class NurtureEngine
{
    private const string StopPrefix = "contact stopped: ";

    private async ValueTask<NurtureOutcome?> HandleAsync(NurtureEnrolmentRecord record, bool sendSteps, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var leadId = record.LeadId;

        // The policy is resolved once: the whole step (exit checks, content, the step, the next due time) runs on it, whatever is
        // activated meanwhile, and records its reference.
        if (await ResolvePolicyAsync(leadId, cancellationToken).ConfigureAwait(false) is not { } policy)
        {
            // No policy taken up for the lead's tenant: nothing is done; the lease expires and the enrolment is due again.
            string tenant = _tenantOf!(leadId);
            Diagnostics.PolicyLog.NoNurturePolicy(_logger, leadId.Value, record.TrackId, tenant);
            return null;
        }

        if (!policy.TryGetTrack(record.TrackId, out var track))
        {
            var replacement = policy.SelectTrack(record.Segment, record.Reason);
            return await MoveAsync(policy, record, replacement, now, $"track '{record.TrackId}' is not in policy {policy.Id}@{policy.Version}", cancellationToken).ConfigureAwait(false);
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

            // At MQL the lead left for sales (an exit to handoff resumed after a crash, or made meanwhile by another caller): the
            // decision says so, whichever pass records it.
            var exit = lifecycle.Stage == LifecycleStage.MarketingQualified ? NurtureExit.ToSales : NurtureExit.LeftMarketing;
            return await EndAsync(record, now, why, exit, new NurtureOutcome.Ended(leadId, record.TrackId, lifecycle.Stage, now, why), cancellationToken).ConfigureAwait(false);
        }

        if (record.Status == NurtureEnrolmentStatus.ContactStopped)
        {
            // No contact, but the exits are still checked once a cadence: a lead that becomes sales-ready goes back to handoff.
            if (snapshot is not null && _scorer.Score(snapshot.Lead, snapshot.Activities.AsSpan(), now) is { State: >= QualificationState.MarketingQualified } card)
            {
                return await ExitToHandoffAsync(policy, record, snapshot, card, now, cancellationToken).ConfigureAwait(false);
            }

            if (!sendSteps)
            {
                return null;
            }

            var nextCheck = now + track.Cadence;
            var why = $"contact stopped on track '{track.Id}' ({record.StatusReason?.Replace(StopPrefix, string.Empty, StringComparison.Ordinal).Split(';')[0]}): nothing sent; exits checked again on {Day(nextCheck)}";
            return await SaveAsync(record, Release(record) with { NextDueAt = nextCheck }, new NurtureOutcome.Paused(leadId, track.Id, nextCheck, now, why), "checked", null, cancellationToken).ConfigureAwait(false);
        }

        if (snapshot is null)
        {
            if (!sendSteps)
            {
                return null;
            }

            var until = now + _options.MissingLeadRetry;
            var why = $"step {record.NextStep + 1} of track '{record.TrackId}' paused until {Day(until)}: the CRM did not return the lead";
            return await SaveAsync(record, Release(record) with { NextDueAt = until }, new NurtureOutcome.Paused(leadId, record.TrackId, until, now, why), "paused", null, cancellationToken).ConfigureAwait(false);
        }

        if (FindStop(snapshot.Activities, now) is { } stop)
        {
            var reason = $"{(stop.Type == ActivityType.Unsubscribed ? "unsubscribed" : "e-mail bounced")} on {Day(stop.Timestamp)}";
            var outcome = StopContact(policy, record, now, reason, out var stopped);
            return await SaveAsync(record, stopped, outcome, "contact-stopped", null, cancellationToken).ConfigureAwait(false);
        }

        var score = _scorer.Score(snapshot.Lead, snapshot.Activities.AsSpan(), now);
        if (score.State >= QualificationState.MarketingQualified)
        {
            return await ExitToHandoffAsync(policy, record, snapshot, score, now, cancellationToken).ConfigureAwait(false);
        }

        if (!sendSteps)
        {
            return null;
        }

        if (track.MaxTimeOnTrack is { } max && now - record.EnrolledAt >= max)
        {
            return await MoveAsync(policy, record, Next(policy, track), now, $"maximum time on track '{track.Id}' reached ({max.TotalDays:0} days since {Day(record.EnrolledAt)})", cancellationToken).ConfigureAwait(false);
        }

        if (record.NextStep >= track.Steps.Length)
        {
            return await MoveAsync(policy, record, Next(policy, track), now, $"track '{track.Id}' exhausted: all {track.Steps.Length} steps sent", cancellationToken).ConfigureAwait(false);
        }

        var step = track.Steps[record.NextStep];
        var position = $"step {record.NextStep + 1}/{track.Steps.Length} '{step.Id}' of track '{track.Id}'";
        if (track.IsQuiet(now, out var quietUntil, out var quietName))
        {
            var why = $"{position} paused until {Day(quietUntil)}: {quietName}";
            return await SaveAsync(record, Release(record) with { NextDueAt = quietUntil }, new NurtureOutcome.Paused(leadId, track.Id, quietUntil, now, why), "paused", null, cancellationToken).ConfigureAwait(false);
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
            var sent = new NurtureSentStep(record.EnrolmentId, leadId, track.Id, record.NextStep, step.Id, step.Kind, null, now, why) { Policy = policy.Model };
            return await SaveAsync(record, advanced, new NurtureOutcome.StepSent(sent, repeated: true), "repeat-suppressed", null, cancellationToken).ConfigureAwait(false);
        }

        NurtureContent? content = null;
        var contentText = "no collateral";
        if (step.Topic is { } topic)
        {
            var (chosen, text) = await ChooseContentAsync(policy, record, snapshot, topic, now, cancellationToken).ConfigureAwait(false);
            if (chosen is null)
            {
                var why = $"{position} skipped: {text}";
                var skipped = new AlignmentDecision.NurtureStepSkipped(leadId, record.EnrolmentId, track.Id, record.NextStep, step.Id, now, why) { Policy = policy.Model };
                return await SaveAsync(record, advanced, new NurtureOutcome.StepSkipped(leadId, track.Id, step.Id, now, why), "skipped", skipped, cancellationToken).ConfigureAwait(false);
            }

            content = chosen;
            contentText = text;
        }

        var what = step.Action is { } action ? $"plugin '{action.Name}'" : step.Kind == NurtureStepKind.Email ? "e-mail" : "rep call task";
        var explanation = $"{position} (entered {Day(record.EnrolledAt)} for {record.Reason}, {Describe(record.Segment)}): {what} with {contentText}; {scoreText}";
        var sentStep = new NurtureSentStep(record.EnrolmentId, leadId, track.Id, record.NextStep, step.Id, step.Kind, content?.Id, now, explanation) { Policy = policy.Model };
        if (step.Action is { } plugin)
        {
            try
            {
                await plugin.ExecuteAsync(new Alignment.Nurture.NurtureActionRequest(sentStep.IdempotencyKey, snapshot.Lead, track.Id, step.Id, step.Topic, content?.Id, record.Campaign, now, explanation), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new InvalidOperationException($"The nurture step plugin '{plugin.Name}' of step '{step.Id}' in track '{track.Id}' threw for lead '{leadId}'.", ex);
            }
        }
        else
        {
            await _handler.ExecuteAsync(new NurtureStepExecution(sentStep.IdempotencyKey, snapshot.Lead, track.Id, step, content, record.Campaign, now, explanation), cancellationToken).ConfigureAwait(false);
        }
        if (await _store.TryRecordSentAsync(sentStep, cancellationToken).ConfigureAwait(false) && !_store.RecordsDecisions)
        {
            await _decisions.PublishAsync(sentStep.ToDecision(), cancellationToken).ConfigureAwait(false);
        }

        return await SaveAsync(record, advanced, new NurtureOutcome.StepSent(sentStep, repeated: false), "sent", null, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<(NurtureContent? Content, string Text)> ChooseContentAsync(NurturePolicy policy, NurtureEnrolmentRecord record, LeadSnapshot snapshot, string topic, DateTimeOffset now, CancellationToken cancellationToken)
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
            else if (c.PublishedAt > now || now - c.PublishedAt > policy.ContentMaxAge)
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

        var passedOver = $"{candidates.Count} candidates on topic '{topic}': {unapproved} unapproved, {stale} not fresh (older than {policy.ContentMaxAge.TotalDays:0} days), {expired} expired, {sent} already sent to the lead, {otherAudience} for another segment or campaign";
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

    private async ValueTask<NurtureOutcome?> ExitToHandoffAsync(NurturePolicy policy, NurtureEnrolmentRecord record, LeadSnapshot snapshot, ScoreCard score, DateTimeOffset now, CancellationToken cancellationToken)
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
            var retry = now + (policy.TryGetTrack(record.TrackId, out var t) ? t.Cadence : TimeSpan.FromDays(1));
            _exits.Add(1, new KeyValuePair<string, object?>("exit", "handoff-refused"));
            return await SaveAsync(record, Release(record) with { NextDueAt = retry }, new NurtureOutcome.Paused(record.LeadId, record.TrackId, retry, now, kept), "handoff-refused", null, cancellationToken).ConfigureAwait(false);
        }

        var why = $"back to handoff: {reason}{routed}";
        return await EndAsync(record, now, why, NurtureExit.ToSales, new NurtureOutcome.ExitedToHandoff(record.LeadId, record.TrackId, score, decision, now, why), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<NurtureOutcome?> MoveAsync(NurturePolicy policy, NurtureEnrolmentRecord record, NurtureTrack to, DateTimeOffset now, string because, CancellationToken cancellationToken)
    {
        var next = NewRecord(policy, record.LeadId, record.Sequence + 1, to, record.Reason, record.Segment, record.Campaign, now);
        var why = $"{because}; moved to track '{to.Id}'";
        var ended = End(record, now, why);
        if (!await TryUpdateAsync(ended, record.Version, next, Exited(record, NurtureExit.TrackChanged, now, why), cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        _exits.Add(1, new KeyValuePair<string, object?>("exit", "track-changed"));
        _steps.Add(1, new KeyValuePair<string, object?>("outcome", "track-changed"));
        await PublishEnrolledAsync(next with { Version = 1 }, why, cancellationToken).ConfigureAwait(false);
        return new NurtureOutcome.TrackChanged(record.LeadId, record.TrackId, to.Id, now, why);
    }

    private async ValueTask<NurtureOutcome?> EndAsync(NurtureEnrolmentRecord record, DateTimeOffset now, string why, NurtureExit exit, NurtureOutcome outcome, CancellationToken cancellationToken)
    {
        if (!await TryUpdateAsync(End(record, now, why), record.Version, null, Exited(record, exit, now, why), cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var tag = exit == NurtureExit.ToSales ? "mql" : "left-marketing";
        _exits.Add(1, new KeyValuePair<string, object?>("exit", tag));
        Diagnostics.PolicyLog.TrackEnded(_logger, record.LeadId.Value, record.TrackId, tag);
        return outcome;
    }

    /// <summary>Saves a change with the decision it makes: recorded by the store with the change, or published here after it.</summary>
    private async ValueTask<bool> TryUpdateAsync(NurtureEnrolmentRecord record, int expectedVersion, NurtureEnrolmentRecord? successor, AlignmentDecision decision, CancellationToken cancellationToken)
    {
        if (!await _store.TryUpdateAsync(record, expectedVersion, successor, decision, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (!_store.RecordsDecisions)
        {
            await _decisions.PublishAsync(decision, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private static AlignmentDecision.NurtureExited Exited(NurtureEnrolmentRecord record, NurtureExit exit, DateTimeOffset now, string why) =>
        new(record.LeadId, record.EnrolmentId, record.TrackId, exit, now, why);

    private async ValueTask<NurtureOutcome?> SaveAsync(NurtureEnrolmentRecord current, NurtureEnrolmentRecord next, NurtureOutcome outcome, string tag, AlignmentDecision? decision, CancellationToken cancellationToken)
    {
        if (decision is not null ? !await TryUpdateAsync(next, current.Version, null, decision, cancellationToken).ConfigureAwait(false) : !await _store.TryUpdateAsync(next, current.Version, null, null, cancellationToken).ConfigureAwait(false))
        {
            // The lease was lost to another instance (or the lead changed meanwhile); that writer's result stands.
            Diagnostics.PolicyLog.StepLeaseLost(_logger, current.LeadId.Value, current.TrackId);
            return null;
        }

        _steps.Add(1, new KeyValuePair<string, object?>("outcome", tag));
        Diagnostics.PolicyLog.StepHandled(_logger, current.LeadId.Value, current.TrackId, tag);
        return outcome;
    }

    private async ValueTask<NurtureOutcome.Enrolled> PublishEnrolledAsync(NurtureEnrolmentRecord record, string why, CancellationToken cancellationToken)
    {
        _enrolled.Add(1, new KeyValuePair<string, object?>("track", record.TrackId), new KeyValuePair<string, object?>("reason", record.Reason.ToString()));
        Diagnostics.PolicyLog.LeadEnrolled(_logger, record.LeadId.Value, record.TrackId, record.Reason);
        if (!_store.RecordsDecisions)
        {
            await _decisions.PublishAsync(new AlignmentDecision.Enrolled(record.ToEnrolment()) { Policy = record.Policy }, cancellationToken).ConfigureAwait(false);
        }

        return new NurtureOutcome.Enrolled(record, why);
    }

    private static TimeSpan CheckInterval(NurturePolicy? policy, NurtureEnrolmentRecord record) =>
        policy is not null && policy.TryGetTrack(record.TrackId, out var track) ? track.Cadence : TimeSpan.FromDays(30);

    private static NurtureTrack Next(NurturePolicy policy, NurtureTrack track) =>
        policy.TryGetTrack(track.OnExhausted, out var next) ? next : track;

    private static NurtureEnrolmentRecord NewRecord(NurturePolicy policy, LeadId leadId, int sequence, NurtureTrack track, NurtureEntryReason reason, Segmentation.SegmentId? segment, string? campaign, DateTimeOffset now) => new()
    {
        LeadId = leadId,
        Sequence = sequence,
        TrackId = track.Id,
        Reason = reason,
        Segment = segment,
        Campaign = campaign,
        EnrolledAt = now,
        PolicyVersion = policy.Version,
        Policy = policy.Model,
        NextStep = 0,
        NextDueAt = now + track.Steps[0].Delay,
        Status = NurtureEnrolmentStatus.Active,
    };

    private static NurtureOutcome.ContactStopped StopContact(NurturePolicy? policy, NurtureEnrolmentRecord record, DateTimeOffset now, string reason, out NurtureEnrolmentRecord stopped)
    {
        var why = $"{StopPrefix}{reason}; the lead stays with marketing on track '{record.TrackId}', on record, and is not contacted again";
        stopped = Release(record) with { Status = NurtureEnrolmentStatus.ContactStopped, NextDueAt = now + CheckInterval(policy, record), StatusReason = why };
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
