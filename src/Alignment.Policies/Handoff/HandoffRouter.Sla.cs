using System.Collections.Immutable;
using Alignment.Decisions;
using Alignment.Diagnostics;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Diagnostics;

namespace Alignment.Policies.Handoff;

/// <content>Service levels: breaches found by listing the open handoffs, or named by a store's own timers.</content>
public sealed partial class HandoffRouter
{
    /// <summary>
    /// Handles every breached service level once: publishes <see cref="AlignmentDecision.SlaBreached"/>, notifies the manager when the
    /// rule says so, and reassigns the lead to the next eligible rep (never the one who missed it) up to the rule's
    /// <c>maxReassignments</c>, then sends it to the rule's escalation queue. Safe to run from several hosts at once: the breach
    /// is published and the manager notified only by the call that marks the handoff escalated.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call; breaches not yet handled are handled by the next run.</param>
    /// <returns>The handoffs in force for the breached leads after handling.</returns>
    public async ValueTask<ImmutableArray<HandoffAssignment>> ProcessSlaBreachesAsync(CancellationToken cancellationToken = default)
    {
        using var activity = AlignmentDiagnostics.ActivitySource.StartActivity("alignment.handoff.sla_check");
        var now = _time.GetUtcNow();
        var open = await _store.ListAwaitingFirstTouchAsync(cancellationToken).ConfigureAwait(false);
        var results = ImmutableArray.CreateBuilder<HandoffAssignment>();
        foreach (var a in open)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await HandleBreachAsync(a, now, cancellationToken).ConfigureAwait(false) is { } handled)
            {
                results.Add(handled);
            }
        }

        activity?.SetTag("alignment.handoff.awaiting_first_touch", open.Count);
        activity?.SetTag("alignment.handoff.breaches", results.Count);
        return results.ToImmutable();
    }

    /// <summary>
    /// Handles the breached service levels of the given leads, as <see cref="ProcessSlaBreachesAsync(CancellationToken)"/> does for
    /// every lead: for a store whose own timers find the breaches (the Orleans store's cells), so that nothing lists every open
    /// handoff. A lead whose handoff is not assigned, or is not yet due by this router's clock, is left alone.
    /// </summary>
    /// <param name="leads">The leads whose service level may be breached.</param>
    /// <param name="cancellationToken">Cancels the call; leads not yet handled are handled by the next call.</param>
    /// <returns>The handoffs in force for the breached leads after handling.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="leads"/> is null.</exception>
    public async ValueTask<ImmutableArray<HandoffAssignment>> HandleSlaBreachesAsync(IEnumerable<LeadId> leads, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leads);
        using var activity = AlignmentDiagnostics.ActivitySource.StartActivity("alignment.handoff.sla_breaches");
        var now = _time.GetUtcNow();
        var results = ImmutableArray.CreateBuilder<HandoffAssignment>();
        foreach (var lead in leads)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await _store.FindAsync(lead, cancellationToken).ConfigureAwait(false) is { Status: HandoffStatus.Assigned } a
                && await HandleBreachAsync(a, now, cancellationToken).ConfigureAwait(false) is { } handled)
            {
                results.Add(handled);
            }
        }

        activity?.SetTag("alignment.handoff.breaches", results.Count);
        return results.ToImmutable();
    }

    /// <summary>Handles one handoff's breach if it is due; <see langword="null"/> when it is not, or changed meanwhile.</summary>
    private async ValueTask<HandoffAssignment?> HandleBreachAsync(HandoffAssignment a, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (a.SlaDueAt is not { } due || due > now || a.Rep is not { } rep)
        {
            return null;
        }

        int rule = Policy.IndexOfRule(a.Decision.RuleId);
        var compiled = rule >= 0 ? Policy.Rules[rule] : null;
        var current = a;
        if (!a.Escalated)
        {
            var breach = new AlignmentDecision.SlaBreached(a.LeadId, rep, due, now);
            bool marks = false;
            var marked = await _store.UpdateAsync(
                a.LeadId,
                a.Epoch,
                x =>
                {
                    // The store calls this on the handoff it saves over (again after a conflict): only the call that finds it
                    // assigned and not yet escalated makes the breach, so two hosts handling the same lead publish it once.
                    marks = x.Status == HandoffStatus.Assigned && !x.Escalated;
                    return x with { Escalated = true };
                },
                (before, _) => before.Status == HandoffStatus.Assigned && !before.Escalated ? breach : null,
                cancellationToken).ConfigureAwait(false);
            if (marked is null || marked.Status != HandoffStatus.Assigned)
            {
                return null; // touched, accepted or rerouted meanwhile
            }

            current = marked;
            if (marks)
            {
                _breached.Add(1, new KeyValuePair<string, object?>("rule", a.Decision.RuleId));
                PolicyLog.SlaBreached(_logger, a.LeadId.Value, rep.Value, due, a.Decision.RuleId);
                if (!_store.RecordsDecisions)
                {
                    await _sink.PublishAsync(breach, cancellationToken).ConfigureAwait(false);
                }

                if (compiled is { NotifyManager: true } && _escalation is not null)
                {
                    int ri = Policy.IndexOf(rep);
                    var manager = ri >= 0 ? Policy.GetManager(ri) : null;
                    await _escalation.NotifyAsync(new HandoffEscalation(a.LeadId, rep, manager, a.Decision.RuleId, due, now), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        if (compiled is null || compiled.MaxReassignments == 0)
        {
            return current;
        }

        HandoffAssignment? made = null;
        var rerouted = await _store.DecideWithinAsync(
            Policy,
            a.LeadId,
            current.Epoch,
            Policy.GetFootprint(current.Facts, current.Phase),
            (cur, state) => made = cur!.Reassignments < compiled.MaxReassignments
                ? Decide(cur.Facts, cur.Phase, rep, cur.Reassignments + 1, cur, state, now)
                : EscalateToQueue(cur, compiled, now),
            cancellationToken).ConfigureAwait(false);
        if (made is not null && ReferenceEquals(rerouted, made))
        {
            await PublishRoutedAsync(rerouted, "reassigned", cancellationToken).ConfigureAwait(false);
        }

        return rerouted;
    }
}
