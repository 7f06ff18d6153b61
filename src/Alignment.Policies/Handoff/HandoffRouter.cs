using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Alignment.Policies.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Alignment.Decisions;
using Alignment.Diagnostics;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;

namespace Alignment.Policies.Handoff;

/// <summary>
/// Routes leads with a <see cref="CompiledRoutingPolicy"/> and keeps the handoff going: service levels, escalation and
/// reassignment, accept and reject (with recycling to nurture), and the inside-sales-to-field handoff. Every routing, service-level
/// and stage decision is published to the <see cref="IDecisionSink"/> and counted under <see cref="AlignmentDiagnostics.MeterName"/>;
/// nurture enrolments are published by the <see cref="INurturePolicy"/>. When the store <see cref="IRoutingStateStore.RecordsDecisions">records
/// decisions</see>, the routing and service-level decisions are written with the state change into the store's
/// <see cref="IDecisionOutbox"/> instead, and a <see cref="DecisionRelay"/> delivers them: a crash between the commit and the delivery
/// loses none.
/// </summary>
/// <remarks>Thread-safe; all shared state lives in the <see cref="IRoutingStateStore"/>.</remarks>
public sealed partial class HandoffRouter : IHandoffPolicy, IDisposable
{
    private const int NoteCapacity = 64;
    private readonly IRoutingStateStore _store;
    private readonly IDecisionSink _sink;
    private readonly TimeProvider _time;
    private readonly HandoffOptions _options;
    private readonly ILifecycleStore? _lifecycle;
    private readonly INurturePolicy? _nurture;
    private readonly IHandoffEscalationHandler? _escalation;
    private readonly ILogger _logger;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _routed;
    private readonly Counter<long> _breached;
    private readonly Counter<long> _recycled;
    private readonly Histogram<double> _decisionDuration;

    /// <summary>Creates a router.</summary>
    /// <param name="policy">The compiled policy.</param>
    /// <param name="services">The shared state, the decision sink, the clock and the optional collaborators.</param>
    /// <param name="options">Recycle reasons and the upcoming-SLA window; defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/>, <paramref name="services"/>, or one of its required members is null.</exception>
    public HandoffRouter(CompiledRoutingPolicy policy, HandoffRouterServices services, HandoffOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(services.Store, "services.Store");
        ArgumentNullException.ThrowIfNull(services.Decisions, "services.Decisions");
        ArgumentNullException.ThrowIfNull(services.TimeProvider, "services.TimeProvider");
        Policy = policy;
        _store = services.Store;
        _sink = services.Decisions;
        _time = services.TimeProvider;
        _options = options ?? new HandoffOptions();
        _lifecycle = services.Lifecycle;
        _nurture = services.Nurture;
        _escalation = services.Escalation;
        _logger = (ILogger?)services.LoggerFactory?.CreateLogger<HandoffRouter>() ?? NullLogger.Instance;
        var meterFactory = services.MeterFactory;
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(AlignmentDiagnostics.MeterName) ?? new Meter(AlignmentDiagnostics.MeterName);
        _routed = _meter.CreateCounter<long>("alignment.leads.routed", "{lead}", "Routing decisions, tagged by outcome (assigned, queued) and kind (initial, requalified, qualified, reassigned).");
        _breached = _meter.CreateCounter<long>("alignment.sla.breached", "{lead}", "First-touch service levels breached.");
        _recycled = PolicyInstruments.Recycled(_meter);
        _decisionDuration = _meter.CreateHistogram<double>("alignment.handoff.decision.duration", "s", "Time to make one routing decision (RouteAsync, reading and writing the shared state included), tagged by kind and outcome.");
    }

    /// <summary>The policy the router routes with.</summary>
    public CompiledRoutingPolicy Policy { get; }

    /// <inheritdoc />
    public async ValueTask<HandoffDecision> RouteAsync(HandoffRequest request, CancellationToken cancellationToken = default)
    {
        var assignment = await RouteWithDetailsAsync(request, cancellationToken).ConfigureAwait(false);
        return assignment.Decision;
    }

    /// <summary>
    /// Routes one lead and returns its full handoff record (service level, status). Routing a lead again while its handoff is open
    /// (queued, assigned, touched) returns the record already in force. A lead whose handoff is
    /// <see cref="HandoffAssignment.IsClosed">closed</see> (sales recycled or rejected it, or accepted it and later lost it) is routed
    /// afresh from this request's facts, at the next epoch; the store keeps the closed handoff as history. An accepted lead that the
    /// lifecycle store (when given) still shows with sales (SAL, SQL, opportunity, won) keeps its accepted handoff; a
    /// <see cref="HandoffRequest.KnownStage"/> stands for that lifecycle read (and, when not with sales, for the handoff read).
    /// </summary>
    /// <param name="request">The lead.</param>
    /// <param name="cancellationToken">Cancels the call; nothing partial is left behind.</param>
    /// <returns>The handoff.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public async ValueTask<HandoffAssignment> RouteWithDetailsAsync(HandoffRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var facts = RoutingFacts.From(request);
        using var activity = AlignmentDiagnostics.ActivitySource.StartActivity("alignment.handoff.route");
        activity?.SetTag("alignment.lead.id", facts.LeadId.Value);
        long started = Stopwatch.GetTimestamp();
        if (_lifecycle is not null
            && (request.KnownStage is null || IsWithSales(request.KnownStage.Value)) // a stage known not to be with sales needs neither read
            && await _store.FindAsync(facts.LeadId, cancellationToken).ConfigureAwait(false) is { Status: HandoffStatus.Accepted } accepted
            && IsWithSales(request.KnownStage ?? (await _lifecycle.FindAsync(facts.LeadId, cancellationToken).ConfigureAwait(false))?.Stage))
        {
            return accepted; // still with sales: not a lead to route again
        }

        var now = _time.GetUtcNow();
        HandoffAssignment? made = null;
        bool again = false;
        var result = await _store.DecideWithinAsync(
            Policy,
            facts.LeadId,
            null,
            Policy.GetFootprint(facts, RoutingPhase.Initial),
            (current, state) =>
            {
                again = current is not null;
                return made = Decide(facts, RoutingPhase.Initial, null, 0, current, state, now);
            },
            cancellationToken).ConfigureAwait(false);

        // Published only when the store saved this decision: a store that decides optimistically (Orleans) may call decide and
        // then return another host's handoff, which that host publishes.
        bool decided = made is not null && ReferenceEquals(result, made);
        string kind = decided ? (again ? "requalified" : "initial") : "existing";
        if (decided)
        {
            await PublishRoutedAsync(result, kind, cancellationToken).ConfigureAwait(false);
        }

        string outcome = result.Rep is null ? "queued" : "assigned";
        _decisionDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("outcome", outcome));
        activity?.SetTag("alignment.handoff.kind", kind);
        activity?.SetTag("alignment.handoff.outcome", outcome);
        activity?.SetTag("alignment.handoff.rule", result.Decision.RuleId);
        return result;
    }

    private static bool IsWithSales(LifecycleStage? stage) =>
        stage is LifecycleStage.SalesAccepted or LifecycleStage.SalesQualified or LifecycleStage.Opportunity or LifecycleStage.Won;

    /// <summary>
    /// Hands a lead that an inside-sales rep qualified on to a field rep: routes it again with qualification rules skipped. Calling
    /// it again for the same lead returns the field handoff already made.
    /// </summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The field handoff.</returns>
    /// <exception cref="InvalidOperationException">The lead was never routed, or its handoff is not an inside-sales qualification.</exception>
    public async ValueTask<HandoffAssignment> HandOffQualifiedAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        var current = await _store.FindAsync(leadId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Lead {leadId} was never routed.");
        if (current.Phase == RoutingPhase.Qualified)
        {
            return current;
        }

        if (!current.Qualification || current.Rep is null || current.Status is HandoffStatus.Rejected or HandoffStatus.Recycled)
        {
            throw new InvalidOperationException($"Lead {leadId} is not held by an inside-sales qualification rule (status {current.Status}, rule '{current.Decision.RuleId}').");
        }

        var now = _time.GetUtcNow();
        HandoffAssignment? made = null;
        var result = await _store.DecideWithinAsync(
            Policy,
            leadId,
            current.Epoch,
            Policy.GetFootprint(current.Facts, RoutingPhase.Qualified),
            (cur, state) => made = Decide(cur!.Facts, RoutingPhase.Qualified, null, 0, cur, state, now),
            cancellationToken).ConfigureAwait(false);
        if (made is not null && ReferenceEquals(result, made))
        {
            await PublishRoutedAsync(result, "qualified", cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Records the rep's first touch: the service-level clock stops.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="by">
    /// The rep who acts, when known: the call then succeeds only while the lead is still with that rep, so a rep the lead was
    /// taken from (an SLA reassignment) cannot act on the new owner's handoff. <see langword="null"/> acts on whoever holds it.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated handoff.</returns>
    /// <exception cref="InvalidOperationException">The lead is not assigned to a rep, or is with another rep than <paramref name="by"/>; nothing was recorded.</exception>
    public async ValueTask<HandoffAssignment> RecordFirstTouchAsync(LeadId leadId, RepId? by = null, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        return await UpdateAssignedAsync(leadId, by, a => a.Status == HandoffStatus.Assigned ? a with { Status = HandoffStatus.Touched, FirstTouchAt = now } : a, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sales accepts the lead: it becomes a sales-accepted lead (SAL) and stops counting against the rep's cap.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="by">
    /// The rep who acts, when known: the call then succeeds only while the lead is still with that rep, so a rep the lead was
    /// taken from (an SLA reassignment) cannot act on the new owner's handoff. <see langword="null"/> acts on whoever holds it.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated handoff.</returns>
    /// <exception cref="InvalidOperationException">The lead is not assigned to a rep, is with another rep than <paramref name="by"/>, or was already rejected; nothing was recorded.</exception>
    /// <exception cref="InvalidLifecycleTransitionException">The lead's lifecycle does not allow the move to SAL.</exception>
    public async ValueTask<HandoffAssignment> AcceptAsync(LeadId leadId, RepId? by = null, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var current = await RequireAssignedAsync(leadId, by, cancellationToken).ConfigureAwait(false);
        if (current.Status == HandoffStatus.Accepted)
        {
            return current;
        }

        await MoveLifecycleAsync(leadId, LifecycleStage.SalesAccepted, now, $"accepted by {current.Rep}", dryRun: true, cancellationToken).ConfigureAwait(false);
        // The status is checked again inside the update, which the store applies atomically at one epoch: an accept and a reject
        // racing each other cannot both be recorded.
        var updated = await UpdateAssignedAsync(
            leadId,
            by,
            a => a.Status switch
            {
                HandoffStatus.Accepted => a,
                HandoffStatus.Rejected or HandoffStatus.Recycled => throw new InvalidOperationException($"Lead {leadId} was already {a.Status.ToString().ToUpperInvariant()}; it cannot be accepted."),
                _ => a with { Status = HandoffStatus.Accepted, ClosedAt = now, FirstTouchAt = a.FirstTouchAt ?? now },
            },
            cancellationToken).ConfigureAwait(false);
        await MoveLifecycleAsync(leadId, LifecycleStage.SalesAccepted, now, $"accepted by {current.Rep}", dryRun: false, cancellationToken).ConfigureAwait(false);
        return updated;
    }

    /// <summary>
    /// Sales rejects the lead with a reason. A recycle reason (by default timing and "not now") sends it back to marketing: its stage
    /// becomes recycled and, when a nurture policy is registered, it is enrolled in nurture. Other reasons disqualify it. The reason
    /// and note are kept on the handoff for backtesting. Either way the handoff is closed: routing the lead again later (when it
    /// comes back as an MQL) makes a fresh decision.
    /// </summary>
    /// <remarks>
    /// The nurture policy owns the <see cref="AlignmentDecision.Enrolled"/> decision: the router does not publish one, because the
    /// <see cref="INurturePolicy"/> publishes it when (and only when) it really puts the lead on a track or moves it (the
    /// <c>NurtureEngine</c> does). A custom <see cref="INurturePolicy"/> should publish its own enrolments too.
    /// </remarks>
    /// <param name="leadId">The lead.</param>
    /// <param name="reason">Why.</param>
    /// <param name="note">The rep's note, if any.</param>
    /// <param name="by">
    /// The rep who acts, when known: the call then succeeds only while the lead is still with that rep, so a rep the lead was
    /// taken from (an SLA reassignment) cannot act on the new owner's handoff. <see langword="null"/> acts on whoever holds it.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The updated handoff (status <see cref="HandoffStatus.Recycled"/> or <see cref="HandoffStatus.Rejected"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="reason"/> is not defined.</exception>
    /// <exception cref="InvalidOperationException">The lead is not assigned to a rep, is with another rep than <paramref name="by"/>, or was already accepted or rejected; nothing was recorded.</exception>
    public async ValueTask<HandoffAssignment> RejectAsync(LeadId leadId, RejectionReason reason, string? note = null, RepId? by = null, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(reason))
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a defined rejection reason.");
        }

        var now = _time.GetUtcNow();
        var current = await RequireAssignedAsync(leadId, by, cancellationToken).ConfigureAwait(false);
        if (current.Status is HandoffStatus.Accepted or HandoffStatus.Rejected or HandoffStatus.Recycled)
        {
            throw new InvalidOperationException($"Lead {leadId} was already {current.Status.ToString().ToUpperInvariant()}; it cannot be rejected.");
        }

        bool recycle = _options.RecycleReasons.Contains(reason);
        var stage = recycle ? LifecycleStage.Recycled : LifecycleStage.Disqualified;
        string why = $"rejected by sales: {ReasonCode(reason)}" + (string.IsNullOrWhiteSpace(note) ? string.Empty : $" ({note})");
        await MoveLifecycleAsync(leadId, stage, now, why, dryRun: true, cancellationToken).ConfigureAwait(false);
        var updated = await UpdateAssignedAsync(
            leadId,
            by,
            a => a.Status is HandoffStatus.Accepted or HandoffStatus.Rejected or HandoffStatus.Recycled
                ? throw new InvalidOperationException($"Lead {leadId} was already {a.Status.ToString().ToUpperInvariant()}; it cannot be rejected.")
                : a with { Status = recycle ? HandoffStatus.Recycled : HandoffStatus.Rejected, ClosedAt = now, Rejection = reason, Note = note },
            cancellationToken).ConfigureAwait(false);
        await MoveLifecycleAsync(leadId, stage, now, why, dryRun: false, cancellationToken).ConfigureAwait(false);
        PolicyLog.LeadRejected(_logger, leadId.Value, reason, recycle ? "recycled to marketing" : "disqualified");
        if (recycle)
        {
            _recycled.Add(1, new KeyValuePair<string, object?>("reason", ReasonCode(reason)));
            if (_nurture is not null)
            {
                var f = updated.Facts;
                var lead = new Lead(leadId)
                {
                    AccountId = f.AccountId is null ? null : new AccountId(f.AccountId),
                    Company = new CompanyProfile { Country = f.Country, Region = f.Region, Domain = f.Domain },
                    Person = new PersonProfile { Language = f.Language },
                    Source = f.Source,
                };
                // The nurture policy publishes the Enrolled decision itself (see remarks); publishing it here too would double it.
                await _nurture.EnrolAsync(lead, NurtureEntryReason.RecycledTiming, cancellationToken).ConfigureAwait(false);
            }
        }

        return updated;
    }

    /// <summary>The reason code written to lifecycles, metrics and the store (for example <c>timing</c>, <c>not-a-fit</c>).</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The code.</returns>
    internal static string ReasonCode(RejectionReason reason) => reason switch
    {
        RejectionReason.NotAFit => "not-a-fit",
        RejectionReason.BadData => "bad-data",
        RejectionReason.Duplicate => "duplicate",
        RejectionReason.NoBudget => "no-budget",
        RejectionReason.Timing => "timing",
        RejectionReason.NotNow => "not-now",
        RejectionReason.NoAuthority => "no-authority",
        _ => "other",
    };

    /// <summary>Lists breached service levels and those due within <paramref name="upcomingWithin"/>.</summary>
    /// <param name="upcomingWithin">How far ahead to look; <see langword="null"/> for <see cref="HandoffOptions.UpcomingSlaWindow"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report, as of the clock's now.</returns>
    public async ValueTask<SlaReport> GetSlaReportAsync(TimeSpan? upcomingWithin = null, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var window = upcomingWithin ?? _options.UpcomingSlaWindow;
        var open = await _store.ListAwaitingFirstTouchAsync(cancellationToken).ConfigureAwait(false);
        var breached = ImmutableArray.CreateBuilder<SlaEntry>();
        var upcoming = ImmutableArray.CreateBuilder<SlaEntry>();
        foreach (var a in open)
        {
            if (a.SlaDueAt is not { } due || a.Rep is not { } rep)
            {
                continue;
            }

            var entry = new SlaEntry(a.LeadId, rep, a.Decision.RuleId, due, due - now);
            if (due <= now)
            {
                breached.Add(entry);
            }
            else if (due <= now + window)
            {
                upcoming.Add(entry);
            }
        }

        return new SlaReport(now, breached.ToImmutable(), upcoming.ToImmutable());
    }

    /// <summary>Disposes the meter when the router created it.</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private HandoffAssignment Decide(RoutingFacts facts, RoutingPhase phase, RepId? exclude, int reassignments, HandoffAssignment? current, RoutingState state, DateTimeOffset now)
    {
        var lead = Policy.Prepare(facts, phase, exclude);
        var notes = new CandidateNote[NoteCapacity];
        var r = Policy.Route(lead, now, state, notes);
        var decision = Policy.ToDecision(facts.LeadId, r, notes);
        return new HandoffAssignment(decision, facts, (current?.Epoch ?? 0) + 1, now, r.IsAssigned ? HandoffStatus.Assigned : HandoffStatus.Queued)
        {
            PolicyId = Policy.Id,
            Phase = phase,
            Qualification = r.IsAssigned && Policy.IsQualificationRule(r.RuleIndex),
            SlaDueAt = r.IsAssigned ? r.SlaDueAt : null,
            Reassignments = reassignments,
        };
    }

    private HandoffAssignment EscalateToQueue(HandoffAssignment current, CompiledRule rule, DateTimeOffset now)
    {
        string queue = Policy.Queues[rule.EscalationQueueIndex];
        var decision = new HandoffDecision.Queued(
            current.LeadId,
            queue,
            rule.Id,
            $"rule '{rule.Id}': first touch missed after {current.Reassignments} reassignment(s) (at most {rule.MaxReassignments}); escalated to queue '{queue}'")
        {
            Policy = Policy.Model,
        };
        return new HandoffAssignment(decision, current.Facts, current.Epoch + 1, now, HandoffStatus.Queued)
        {
            PolicyId = Policy.Id,
            Phase = current.Phase,
            Reassignments = current.Reassignments,
        };
    }

    private async ValueTask PublishRoutedAsync(HandoffAssignment a, string kind, CancellationToken cancellationToken)
    {
        var tags = new TagList
        {
            { "outcome", a.Rep is null ? "queued" : "assigned" },
            { "kind", kind },
            { "rule", a.Decision.RuleId },
        };
        _routed.Add(1, tags);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            PolicyLog.LeadRouted(_logger, a.LeadId.Value, kind, a.Rep is null ? "queued in" : "assigned to", a.Rep?.Value ?? (a.Decision as HandoffDecision.Queued)?.Queue ?? "?", a.Decision.RuleId, a.Epoch);
        }

        if (!_store.RecordsDecisions)
        {
            await _sink.PublishAsync(new AlignmentDecision.Routed(a.Decision, a.DecidedAt), cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<HandoffAssignment> RequireAssignedAsync(LeadId leadId, RepId? by, CancellationToken cancellationToken)
    {
        var current = await _store.FindAsync(leadId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Lead {leadId} was never routed.");
        if (current.Rep is null)
        {
            throw new InvalidOperationException($"Lead {leadId} is in queue '{((HandoffDecision.Queued)current.Decision).Queue}', not with a rep.");
        }

        if (by is { } rep && current.Rep != rep)
        {
            throw new InvalidOperationException($"Lead {leadId} is with rep {current.Rep} (handoff {current.Epoch}, rule '{current.Decision.RuleId}'), not with {rep} (it was reassigned, or {rep} never held it). Nothing was recorded.");
        }

        return current;
    }

    private async ValueTask<HandoffAssignment> UpdateAssignedAsync(LeadId leadId, RepId? by, Func<HandoffAssignment, HandoffAssignment> update, CancellationToken cancellationToken)
    {
        // The store applies the update only at the epoch read here, and a reassignment starts a new epoch: the check of the rep
        // and the update at the same epoch are atomic together.
        long started = Stopwatch.GetTimestamp();
        int attempt = 0;
        for (; await ConflictRetry.BeforeAttemptAsync(attempt, started, cancellationToken).ConfigureAwait(false); attempt++)
        {
            var current = await RequireAssignedAsync(leadId, by, cancellationToken).ConfigureAwait(false);
            var updated = await _store.UpdateAsync(leadId, current.Epoch, update, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (updated is not null)
            {
                return updated;
            }
        }

        throw new InvalidOperationException($"Lead {leadId} kept being rerouted while it was updated ({ConflictRetry.Describe(attempt, started)}); try again.");
    }

    private async ValueTask MoveLifecycleAsync(LeadId leadId, LifecycleStage to, DateTimeOffset at, string reason, bool dryRun, CancellationToken cancellationToken)
    {
        if (_lifecycle is null)
        {
            return;
        }

        long started = Stopwatch.GetTimestamp();
        int attempt = 0;
        for (; await ConflictRetry.BeforeAttemptAsync(attempt, started, cancellationToken).ConfigureAwait(false); attempt++)
        {
            var current = await _lifecycle.FindAsync(leadId, cancellationToken).ConfigureAwait(false);
            var lifecycle = current ?? LeadLifecycle.Start(leadId);
            int version = lifecycle.Version;
            if (lifecycle.Stage == to)
            {
                return;
            }

            var moved = lifecycle;
            if (to == LifecycleStage.SalesAccepted && lifecycle.Stage is LifecycleStage.Inquiry or LifecycleStage.Recycled)
            {
                moved = moved.Transition(LifecycleStage.MarketingQualified, at, LifecycleActor.System, "handed off to sales");
            }

            moved = moved.Transition(to, at, LifecycleActor.Sales, reason);
            if (dryRun)
            {
                return;
            }

            if (await _lifecycle.TrySaveAsync(moved, current is null ? 0 : version, cancellationToken).ConfigureAwait(false))
            {
                for (int i = version; i < moved.History.Length && !_lifecycle.RecordsDecisions; i++)
                {
                    await _sink.PublishAsync(new AlignmentDecision.StageChanged(leadId, moved.History[i]), cancellationToken).ConfigureAwait(false);
                }

                return;
            }
        }

        throw new InvalidOperationException($"Lead {leadId}: the lifecycle kept changing while it was moved to {to} ({ConflictRetry.Describe(attempt, started)}); try again.");
    }
}
