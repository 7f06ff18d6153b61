using System.Collections.Immutable;
using System.Globalization;
using Alignment.Handoff;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Handoff;
using Alignment.Scoring;

namespace Alignment.Cli.Demo;

/// <content>Sales' side of the year: routed handoffs, first touches, service-level checks, queue sweeps, decisions and deal progress.</content>
internal sealed partial class DemoPipeline
{
    private async ValueTask OnHandoffAsync(LeadState state, HandoffAssignment handoff)
    {
        var now = _clock.GetUtcNow();
        state.HandledEpoch = handoff.Epoch;
        if (handoff.Rep is not { } rep)
        {
            // Every rep of the matching pools is full: the lead waits in the queue until the morning sweep routes it again.
            Schedule(now.Date.AddDays(1).AddHours(6).AddMinutes(30), () => SweepQueueAsync(state, handoff.Epoch));
            return;
        }

        var sla = _models.Routing.GetSla(_models.Routing.IndexOfRule(handoff.Decision.RuleId));
        var start = (handoff.SlaDueAt ?? now) - sla;
        if (state.SlaDueAt is null && handoff.Phase == RoutingPhase.Initial)
        {
            state.SlaDueAt = handoff.SlaDueAt;
        }

        double pace = _repPace.GetValueOrDefault(rep.Value, 1.0);
        double minutes = sla <= TimeSpan.FromHours(1)
            ? 8 * pace * Math.Exp(0.8 * Normal(state.Random))
            : 240 * pace * Math.Exp(1.1 * Normal(state.Random));
        var touchAt = start + TimeSpan.FromMinutes(Math.Max(1, minutes));
        state.SlaMinutes = (int)sla.TotalMinutes;
        Schedule(touchAt < now ? now : touchAt, () => FirstTouchAsync(state, handoff.Epoch, (int)sla.TotalMinutes, start));
        if (handoff.SlaDueAt is { } due)
        {
            // Scheduled after the touch, so a touch at the very due time comes first and counts as in time (as FirstTouch.Met does).
            Schedule(due, () => CheckSlaAsync(state, handoff.Epoch));
        }

        await ValueTask.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>
    /// The host's service-level job, woken at a handoff's due time: when the rep has not touched the lead yet, it runs the router's
    /// <see cref="HandoffRouter.ProcessSlaBreachesAsync(CancellationToken)"/>, which publishes the breach, notifies the manager when the rule asks for it,
    /// and reassigns or escalates to a queue when the rule sets <c>maxReassignments</c>. A host runs the same call every minute; in the
    /// simulation it runs only at the instants a breach can begin, which finds the same breaches without half a million idle calls.
    /// </summary>
    private async ValueTask CheckSlaAsync(LeadState state, int epoch)
    {
        if (await _routingStore.FindAsync(state.Sample.Lead.Id).ConfigureAwait(false) is not { Status: HandoffStatus.Assigned, Escalated: false } current || current.Epoch != epoch)
        {
            return; // touched in time, rerouted, or already reported by a check at the same instant
        }

        int before = _tally.SlaBreaches.Count;
        _escalations.Checks++;
        var handoffs = await _router.ProcessSlaBreachesAsync().ConfigureAwait(false);
        for (int i = before; i < _tally.SlaBreaches.Count; i++)
        {
            int minutes = _leads[_tally.SlaBreaches[i].Lead].SlaMinutes;
            _escalations.BreachesBySlaMinutes[minutes] = _escalations.BreachesBySlaMinutes.GetValueOrDefault(minutes) + 1;
        }

        foreach (var handoff in handoffs)
        {
            var breached = _leads[handoff.LeadId];
            if (handoff.Epoch <= breached.HandledEpoch)
            {
                continue; // still with the rep who missed it (the rule does not reassign), or already handled
            }

            // The router moved the lead on (a new epoch): the new rep gets a first touch of their own and a new service level; the
            // touch scheduled for the rep who missed it is dropped when it comes, because its epoch is stale.
            if (handoff.Rep is null)
            {
                _escalations.EscalatedToQueue++;
            }
            else
            {
                _escalations.Reassigned++;
            }

            await OnHandoffAsync(breached, handoff).ConfigureAwait(false);
        }
    }

    private async ValueTask SweepQueueAsync(LeadState state, int epoch)
    {
        var id = state.Sample.Lead.Id;
        if (await _routingStore.FindAsync(id).ConfigureAwait(false) is not { Status: HandoffStatus.Queued } current || current.Epoch != epoch)
        {
            return;
        }

        _queueSweeps++;
        var snapshot = await _snapshots.FindAsync(id).ConfigureAwait(false);
        var card = _models.Scoring.Score(state.Sample.Lead, snapshot!.Activities.AsSpan(), _clock.GetUtcNow());
        var request = new HandoffRequest(state.Sample.Lead, card with { State = card.State < QualificationState.MarketingQualified ? QualificationState.MarketingQualified : card.State }, state.Segment);
        await OnHandoffAsync(state, await _router.RouteWithDetailsAsync(request).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private async ValueTask FirstTouchAsync(LeadState state, int epoch, int slaMinutes, DateTimeOffset slaStart)
    {
        var id = state.Sample.Lead.Id;
        var current = await _routingStore.FindAsync(id).ConfigureAwait(false);
        if (current is not { Status: HandoffStatus.Assigned } || current.Epoch != epoch)
        {
            // RecordFirstTouchAsync touches whatever handoff is in force; a touch for an older epoch belongs to a rep who no longer
            // holds the lead (the router reassigned it or queued it after a breach), so it is dropped: the new owner touches it.
            if (current is not null && current.Epoch > epoch)
            {
                _escalations.StaleTouchesDropped++;
            }

            return;
        }

        var touched = await _router.RecordFirstTouchAsync(id, by: current.Rep).ConfigureAwait(false);
        var now = _clock.GetUtcNow();
        state.FirstTouchAt ??= now;
        _touches.Add(new FirstTouch(touched.Rep!.Value.Value, slaMinutes, (now - slaStart).TotalMinutes, touched.SlaDueAt is not { } due || now <= due, touched.Escalated));
        var hours = current.Qualification ? 1 + state.Random.Next(47) : 2 + state.Random.Next(70);
        Schedule(now.AddHours(hours), () => DecideAsync(state, epoch));
    }

    private async ValueTask DecideAsync(LeadState state, int epoch)
    {
        var id = state.Sample.Lead.Id;
        if (await _routingStore.FindAsync(id).ConfigureAwait(false) is not { Status: HandoffStatus.Touched } current || current.Epoch != epoch)
        {
            return;
        }

        double q = state.Sample.Quality;
        var rng = state.Random;
        double roll = rng.NextDouble();
        if (current.Qualification)
        {
            if (roll < 0.3 + 0.6 * q)
            {
                await OnHandoffAsync(state, await _router.HandOffQualifiedAsync(id).ConfigureAwait(false)).ConfigureAwait(false);
                return;
            }

            await RejectAsync(state, rng.NextDouble() < 0.65).ConfigureAwait(false);
            return;
        }

        if (roll < 0.6 + 0.35 * q)
        {
            await _router.AcceptAsync(id, by: current.Rep).ConfigureAwait(false);
            Schedule(_clock.GetUtcNow().AddDays(2 + rng.Next(9)), () => ProgressAsync(state, LifecycleStage.SalesAccepted));
            return;
        }

        await RejectAsync(state, rng.NextDouble() < 0.7).ConfigureAwait(false);
    }

    private async ValueTask RejectAsync(LeadState state, bool timing)
    {
        var id = state.Sample.Lead.Id;
        var rng = state.Random;
        if (timing)
        {
            var reason = rng.NextDouble() < 0.5 ? RejectionReason.Timing : RejectionReason.NotNow;
            await _router.RejectAsync(id, reason, reason == RejectionReason.Timing ? "evaluating next quarter" : "busy with a migration").ConfigureAwait(false);
            await RecycleAsync(state, NurtureEntryReason.RecycledTiming, "sales: timing, call back later").ConfigureAwait(false);
            return;
        }

        RejectionReason[] reasons = [RejectionReason.NotAFit, RejectionReason.NotAFit, RejectionReason.BadData, RejectionReason.Duplicate, RejectionReason.NoAuthority];
        await _router.RejectAsync(id, reasons[rng.Next(reasons.Length)]).ConfigureAwait(false);
    }

    private async ValueTask ProgressAsync(LeadState state, LifecycleStage expected)
    {
        var id = state.Sample.Lead.Id;
        var lifecycle = await _lifecycles.FindAsync(id).ConfigureAwait(false);
        if (lifecycle?.Stage != expected)
        {
            return;
        }

        double q = state.Sample.Quality;
        var rng = state.Random;
        double roll = rng.NextDouble();
        var now = _clock.GetUtcNow();
        switch (expected)
        {
            case LifecycleStage.SalesAccepted when roll < 0.25 + 0.45 * q:
                await _recorder.TransitionAsync(id, LifecycleStage.SalesQualified, LifecycleActor.Sales, "need, budget and timeline confirmed").ConfigureAwait(false);
                Schedule(now.AddDays(3 + rng.Next(12)), () => ProgressAsync(state, LifecycleStage.SalesQualified));
                break;
            case LifecycleStage.SalesAccepted:
                await RecycleAsync(state, NurtureEntryReason.RecycledTiming, "no budget this year").ConfigureAwait(false);
                break;
            case LifecycleStage.SalesQualified when roll < 0.55 + 0.3 * q:
                await _recorder.TransitionAsync(id, LifecycleStage.Opportunity, LifecycleActor.Sales, "opportunity opened").ConfigureAwait(false);
                Schedule(now.AddDays(20 + rng.Next(71)), () => ProgressAsync(state, LifecycleStage.Opportunity));
                break;
            case LifecycleStage.SalesQualified:
                await _recorder.TransitionAsync(id, LifecycleStage.Disqualified, LifecycleActor.Sales, "no project after discovery").ConfigureAwait(false);
                break;
            case LifecycleStage.Opportunity when roll < 0.06 + 0.42 * q:
                await _recorder.TransitionAsync(id, LifecycleStage.Won, LifecycleActor.Sales, $"closed won: {state.Sample.DealSize.ToString(CultureInfo.InvariantCulture)}").ConfigureAwait(false);
                break;
            case LifecycleStage.Opportunity:
                await _recorder.TransitionAsync(id, LifecycleStage.Lost, LifecycleActor.Sales, rng.NextDouble() < 0.5 ? "lost to a competitor" : "no decision").ConfigureAwait(false);
                if (rng.NextDouble() < 0.55)
                {
                    await RecycleAsync(state, NurtureEntryReason.LostDeal, "revisit at their renewal").ConfigureAwait(false);
                }

                break;
        }
    }
}
