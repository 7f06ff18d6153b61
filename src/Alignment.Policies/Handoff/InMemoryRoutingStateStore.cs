using Alignment.Collections;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;

namespace Alignment.Policies.Handoff;

/// <summary>The embedded default <see cref="IRoutingStateStore"/>: state in process memory, one lock per store.</summary>
/// <remarks>
/// Thread-safe. While one policy is in use its <see cref="RoutingState"/> is the live state (no copying per decision); switching
/// to another compiled policy (a new roster) carries every counter and rotation over by rep id and pool key.
/// </remarks>
public sealed class InMemoryRoutingStateStore : IRoutingStateStore
{
    private readonly Lock _gate = new();
    // Sharded, so that neither grows all at once under the lock (ShardedDictionary).
    private readonly ShardedDictionary<LeadId, HandoffAssignment> _assignments = new();
    private readonly ShardedDictionary<LeadId, List<HandoffAssignment>> _history = new();
    private readonly Dictionary<string, RepLoad> _reps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PoolRotation> _pools = new(StringComparer.Ordinal);
    private readonly InMemoryDecisionOutbox? _outbox;
    private RoutingState? _bound;

    /// <summary>Creates a store.</summary>
    /// <param name="outbox">
    /// Where to write the decisions of its changes, under the same lock as the change (<see cref="IRoutingStateStore.RecordsDecisions"/>),
    /// for a <see cref="DecisionRelay"/> to deliver; <see langword="null"/> to record none (the router publishes them directly).
    /// </param>
    public InMemoryRoutingStateStore(InMemoryDecisionOutbox? outbox = null) => _outbox = outbox;

    /// <inheritdoc />
    bool IRoutingStateStore.RecordsDecisions => _outbox is not null;

    /// <summary>The number of leads with a handoff.</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _assignments.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<HandoffAssignment?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_assignments.GetValueOrDefault(leadId));
        }
    }

    /// <summary>Lists the handoffs a lead had before its current one (replaced by reassignment, field handoff or a fresh routing), oldest first.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The earlier handoffs, as they stood when replaced; empty when there are none.</returns>
    public ValueTask<IReadOnlyList<HandoffAssignment>> ListHistoryAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<HandoffAssignment>>(_history.TryGetValue(leadId, out var list) ? [.. list] : []);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> or <paramref name="decide"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="decide"/> returned a handoff for another lead or epoch.</exception>
    public ValueTask<HandoffAssignment> DecideAsync(CompiledRoutingPolicy policy, LeadId leadId, int? expectedEpoch, Func<HandoffAssignment?, RoutingState, HandoffAssignment> decide, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(decide);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var current = _assignments.GetValueOrDefault(leadId);
            if (current is not null && (expectedEpoch is null ? !current.IsClosed : current.Epoch != expectedEpoch))
            {
                return ValueTask.FromResult(current);
            }

            if (current is null && expectedEpoch is not null)
            {
                throw new InvalidOperationException($"Lead {leadId} has no handoff at epoch {expectedEpoch} to replace.");
            }

            var state = Bind(policy);
            if (current?.HoldsCapacity == true)
            {
                ReleaseLocked(current.Rep!.Value);
            }

            // A failed decision must leave nothing behind: decide on a copy of the counters it may touch.
            var snapshot = Snapshot(state);
            HandoffAssignment next;
            try
            {
                next = decide(current, state);
                Check(next, leadId, (current?.Epoch ?? 0) + 1);
            }
            catch
            {
                Restore(state, snapshot);
                if (current?.HoldsCapacity == true)
                {
                    Reacquire(current.Rep!.Value);
                }

                throw;
            }

            state.ClearChanges();
            if (current is not null)
            {
                if (!_history.TryGetValue(leadId, out var history))
                {
                    _history[leadId] = history = [];
                }

                history.Add(current);
            }

            _assignments[leadId] = next;
            if (_outbox is not null)
            {
                var routed = new AlignmentDecision.Routed(next.Decision, next.DecidedAt);
                _outbox.Append(DecisionKeys.For(routed, next.Epoch), routed);
            }

            return ValueTask.FromResult(next);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="update"/> changed the lead or epoch.</exception>
    public ValueTask<HandoffAssignment?> UpdateAsync(LeadId leadId, int expectedEpoch, Func<HandoffAssignment, HandoffAssignment> update, Func<HandoffAssignment, HandoffAssignment, AlignmentDecision?>? decision = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_assignments.TryGetValue(leadId, out var current) || current.Epoch != expectedEpoch)
            {
                return ValueTask.FromResult<HandoffAssignment?>(null);
            }

            var next = update(current);
            Check(next, leadId, expectedEpoch);
            var made = _outbox is not null ? decision?.Invoke(current, next) : null;
            if (current.HoldsCapacity && !next.HoldsCapacity)
            {
                ReleaseLocked(current.Rep!.Value);
            }

            _assignments[leadId] = next;
            if (made is not null)
            {
                _outbox!.Append(DecisionKeys.For(made, next.Epoch), made);
            }

            return ValueTask.FromResult<HandoffAssignment?>(next);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<HandoffAssignment>> ListOpenAsync(RepId rep, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var list = new List<HandoffAssignment>();
            foreach (var a in _assignments.Values)
            {
                if (a.Rep == rep && a.Status is HandoffStatus.Assigned or HandoffStatus.Touched)
                {
                    list.Add(a);
                }
            }

            list.Sort(HandoffOrder.OpenFirstDue);
            return ValueTask.FromResult<IReadOnlyList<HandoffAssignment>>(list);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<HandoffAssignment>> ListAwaitingFirstTouchAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var list = new List<HandoffAssignment>();
            foreach (var a in _assignments.Values)
            {
                if (a.Status == HandoffStatus.Assigned && a.SlaDueAt is not null)
                {
                    list.Add(a);
                }
            }

            list.Sort(HandoffOrder.FirstDue);
            return ValueTask.FromResult<IReadOnlyList<HandoffAssignment>>(list);
        }
    }

    /// <inheritdoc />
    public ValueTask<RepLoad> GetRepLoadAsync(RepId rep, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            int i = _bound?.Policy.IndexOf(rep) ?? -1;
            return ValueTask.FromResult(i >= 0 ? _bound!.GetRepLoad(i) : _reps.GetValueOrDefault(rep.Value));
        }
    }

    private static void Check(HandoffAssignment next, LeadId leadId, int epoch)
    {
        if (next is null || next.LeadId != leadId || next.Epoch != epoch)
        {
            throw new InvalidOperationException($"The decision for lead {leadId} must be a handoff of that lead at epoch {epoch}.");
        }
    }

    private RoutingState Bind(CompiledRoutingPolicy policy)
    {
        if (_bound is not null && ReferenceEquals(_bound.Policy, policy))
        {
            return _bound;
        }

        if (_bound is not null)
        {
            for (int i = 0; i < _bound.Policy.Reps.Length; i++)
            {
                _reps[_bound.Policy.Reps[i].Value] = _bound.GetRepLoad(i);
            }

            for (int p = 0; p < _bound.Policy.PoolKeys.Length; p++)
            {
                _pools[_bound.Policy.PoolKeys[p]] = _bound.GetPoolRotation(p);
            }
        }

        var state = new RoutingState(policy);
        for (int i = 0; i < policy.Reps.Length; i++)
        {
            if (_reps.TryGetValue(policy.Reps[i].Value, out var load))
            {
                state.SetRepLoad(i, load);
            }
        }

        for (int p = 0; p < policy.PoolKeys.Length; p++)
        {
            if (_pools.TryGetValue(policy.PoolKeys[p], out var rotation))
            {
                state.SetPoolRotation(p, rotation);
            }
        }

        _bound = state;
        return state;
    }

    private void ReleaseLocked(RepId rep)
    {
        int i = _bound?.Policy.IndexOf(rep) ?? -1;
        if (i >= 0)
        {
            _bound!.Release(i);
        }
        else if (_reps.TryGetValue(rep.Value, out var load) && load.Open > 0)
        {
            _reps[rep.Value] = new RepLoad(load.Open - 1, load.DayKey, load.DayCount, load.AssignedTotal);
        }
    }

    private void Reacquire(RepId rep)
    {
        int i = _bound?.Policy.IndexOf(rep) ?? -1;
        if (i >= 0)
        {
            var load = _bound!.GetRepLoad(i);
            _bound.SetRepLoad(i, new RepLoad(load.Open + 1, load.DayKey, load.DayCount, load.AssignedTotal));
        }
        else if (_reps.TryGetValue(rep.Value, out var load))
        {
            _reps[rep.Value] = new RepLoad(load.Open + 1, load.DayKey, load.DayCount, load.AssignedTotal);
        }
    }

    private static (RepLoad[] Reps, PoolRotation[] Pools) Snapshot(RoutingState state)
    {
        var reps = new RepLoad[state.Policy.Reps.Length];
        for (int i = 0; i < reps.Length; i++)
        {
            reps[i] = state.GetRepLoad(i);
        }

        var pools = new PoolRotation[state.Policy.PoolKeys.Length];
        for (int p = 0; p < pools.Length; p++)
        {
            pools[p] = state.GetPoolRotation(p);
        }

        return (reps, pools);
    }

    private static void Restore(RoutingState state, (RepLoad[] Reps, PoolRotation[] Pools) snapshot)
    {
        for (int i = 0; i < snapshot.Reps.Length; i++)
        {
            state.SetRepLoad(i, snapshot.Reps[i]);
        }

        for (int p = 0; p < snapshot.Pools.Length; p++)
        {
            state.SetPoolRotation(p, snapshot.Pools[p]);
        }

        state.ClearChanges();
    }
}
