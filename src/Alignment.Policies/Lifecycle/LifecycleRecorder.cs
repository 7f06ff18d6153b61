using System.Diagnostics;
using System.Diagnostics.Metrics;
using Alignment.Decisions;
using Alignment.Diagnostics;
using Alignment.Leads;
using Alignment.Lifecycle;

namespace Alignment.Policies.Lifecycle;

/// <summary>
/// Makes lifecycle transitions through an <see cref="ILifecycleStore"/>: reads, transitions (the state machine refuses a move it
/// does not allow), saves with optimistic concurrency and retries on a conflict, then publishes the change to the
/// <see cref="IDecisionSink"/>. Every transition carries its time, actor, reason and model version.
/// </summary>
/// <remarks>Thread-safe. Counts recycles (returns from sales or lost deals, not new leads sent straight to nurture) on <c>alignment.leads.recycled</c> under <see cref="AlignmentDiagnostics.MeterName"/>.</remarks>
public sealed class LifecycleRecorder
{
    private readonly ILifecycleStore _store;
    private readonly IDecisionSink _decisions;
    private readonly TimeProvider _time;
    private readonly Counter<long> _recycled;

    /// <summary>Creates a recorder.</summary>
    /// <param name="store">The lifecycle store.</param>
    /// <param name="decisions">Where stage changes are published.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="meterFactory">Creates the meter; <see langword="null"/> for a meter of its own.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    public LifecycleRecorder(ILifecycleStore store, IDecisionSink decisions, TimeProvider timeProvider, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _store = store;
        _decisions = decisions;
        _time = timeProvider;
        var meter = meterFactory?.Create(AlignmentDiagnostics.MeterName) ?? new Meter(AlignmentDiagnostics.MeterName);
        _recycled = Diagnostics.PolicyInstruments.Recycled(meter);
    }

    /// <summary>The lifecycle store written to.</summary>
    internal ILifecycleStore Store => _store;

    /// <summary>
    /// Returns a lead's lifecycle, or a new one at <see cref="LifecycleStage.Inquiry"/> (version 0, not saved) when the store has
    /// never seen the lead: a lifecycle is saved with its first transition, as <see cref="ILifecycleStore.TrySaveAsync"/> expects.
    /// </summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lifecycle.</returns>
    public async ValueTask<LeadLifecycle> EnsureStartedAsync(LeadId leadId, CancellationToken cancellationToken = default) =>
        await _store.FindAsync(leadId, cancellationToken).ConfigureAwait(false) ?? LeadLifecycle.Start(leadId);

    /// <summary>
    /// Moves a lead to <paramref name="to"/> (starting its lifecycle first if needed). Idempotent: when the lead is already at
    /// <paramref name="to"/>, nothing is written and the current lifecycle is returned, so a resumed operation can repeat it.
    /// </summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="to">The stage to enter.</param>
    /// <param name="actor">Who makes the move.</param>
    /// <param name="reason">Why; not empty.</param>
    /// <param name="modelVersion">The scoring model (id@version) that drove the move, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lifecycle after the move.</returns>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty.</exception>
    /// <exception cref="InvalidLifecycleTransitionException">The state machine does not allow the move; the message names both stages.</exception>
    /// <exception cref="InvalidOperationException">Concurrent writers kept winning after many attempts.</exception>
    public ValueTask<LeadLifecycle> TransitionAsync(LeadId leadId, LifecycleStage to, LifecycleActor actor, string reason, string? modelVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return TransitionCoreAsync(leadId, null, to, actor, reason, modelVersion, cancellationToken);
    }

    /// <summary>
    /// Moves a lead to <paramref name="to"/> from <paramref name="current"/>, the lifecycle the caller has just read (from
    /// <see cref="EnsureStartedAsync"/> or the store), which saves reading it again. When the stored lifecycle has moved on since,
    /// the save finds another version, and the move is made again from the stored lifecycle, as
    /// <see cref="TransitionAsync(LeadId, LifecycleStage, LifecycleActor, string, string?, CancellationToken)"/> does.
    /// When <paramref name="current"/> is already at <paramref name="to"/>, or the state machine does not allow the move from it,
    /// the stored lifecycle is read first (it may have moved on), so the answer is always the one
    /// <see cref="TransitionAsync(LeadId, LifecycleStage, LifecycleActor, string, string?, CancellationToken)"/> would give.
    /// </summary>
    /// <param name="current">The lead's lifecycle as last read.</param>
    /// <param name="to">The stage to enter.</param>
    /// <param name="actor">Who makes the move.</param>
    /// <param name="reason">Why; not empty.</param>
    /// <param name="modelVersion">The scoring model (id@version) that drove the move, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lifecycle after the move.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="current"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty.</exception>
    /// <exception cref="InvalidLifecycleTransitionException">The state machine does not allow the move; the message names both stages.</exception>
    /// <exception cref="InvalidOperationException">Concurrent writers kept winning after many attempts.</exception>
    public ValueTask<LeadLifecycle> TransitionFromAsync(LeadLifecycle current, LifecycleStage to, LifecycleActor actor, string reason, string? modelVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return TransitionCoreAsync(current.LeadId, current, to, actor, reason, modelVersion, cancellationToken);
    }

    /// <summary>
    /// Starts the lifecycle of a lead the store has never seen with its first move, from <see cref="LifecycleStage.Inquiry"/> to
    /// <paramref name="to"/>, in one write and without reading first (a new lead's first decision). When the store already has a
    /// saved lifecycle for the lead (one with a move: lifecycles are saved with their first transition), nothing is written and
    /// <see langword="null"/> is returned: the lead's state came from elsewhere,
    /// so the caller reads it and decides from it (<see cref="EnsureStartedAsync"/>, then
    /// <see cref="TransitionFromAsync"/>).
    /// </summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="to">The stage to enter; the state machine must allow the move from <see cref="LifecycleStage.Inquiry"/>.</param>
    /// <param name="actor">Who makes the move.</param>
    /// <param name="reason">Why; not empty.</param>
    /// <param name="modelVersion">The scoring model (id@version) that drove the move, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The lifecycle after the move, or <see langword="null"/> when the store already had one for the lead.</returns>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty.</exception>
    /// <exception cref="InvalidLifecycleTransitionException">The state machine does not allow the move from <see cref="LifecycleStage.Inquiry"/> to <paramref name="to"/>.</exception>
    public async ValueTask<LeadLifecycle?> TryStartAsync(LeadId leadId, LifecycleStage to, LifecycleActor actor, string reason, string? modelVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var start = LeadLifecycle.Start(leadId);
        var next = start.Transition(to, _time.GetUtcNow(), actor, reason, modelVersion); // refuses a move the state machine does not allow
        if (!await _store.TrySaveAsync(next, start.Version, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        await SavedAsync(start, next, cancellationToken).ConfigureAwait(false);
        return next;
    }

    private async ValueTask<LeadLifecycle> TransitionCoreAsync(LeadId leadId, LeadLifecycle? known, LifecycleStage to, LifecycleActor actor, string reason, string? modelVersion, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        int attempt = 0;
        for (; await ConflictRetry.BeforeAttemptAsync(attempt, started, cancellationToken).ConfigureAwait(false); attempt++)
        {
            // The caller's lifecycle is used only for a move it allows: when it is already at the stage or does not allow the move,
            // the stored lifecycle may have moved on since, so the answer comes from the store (as without it).
            var current = attempt == 0 && known is not null && known.Stage != to && LifecycleStateMachine.IsAllowed(known.Stage, to)
                ? known
                : await EnsureStartedAsync(leadId, cancellationToken).ConfigureAwait(false);
            if (current.Stage == to)
            {
                return current;
            }

            var next = current.Transition(to, Later(current), actor, reason, modelVersion);
            if (await _store.TrySaveAsync(next, current.Version, cancellationToken).ConfigureAwait(false))
            {
                await SavedAsync(current, next, cancellationToken).ConfigureAwait(false);
                return next;
            }
        }

        throw new InvalidOperationException($"Lead {leadId}: could not move to {to} after {ConflictRetry.Describe(attempt, started)} (concurrent writers).");
    }

    /// <summary>After a saved move: counts a recycle, and publishes the change unless the store records it with the save.</summary>
    private async ValueTask SavedAsync(LeadLifecycle current, LeadLifecycle next, CancellationToken cancellationToken)
    {
        var transition = next.History[^1];
        if (transition.To == LifecycleStage.Recycled && current.Stage != LifecycleStage.Inquiry)
        {
            _recycled.Add(1, new KeyValuePair<string, object?>("from", current.Stage.ToString()));
        }

        if (!_store.RecordsDecisions)
        {
            await _decisions.PublishAsync(new AlignmentDecision.StageChanged(next.LeadId, transition), cancellationToken).ConfigureAwait(false);
        }
    }

    private DateTimeOffset Later(LeadLifecycle current)
    {
        var now = _time.GetUtcNow();
        return current.History.IsEmpty || now >= current.History[^1].At ? now : current.History[^1].At;
    }
}
