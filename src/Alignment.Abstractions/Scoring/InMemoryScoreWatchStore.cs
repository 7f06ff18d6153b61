using Alignment.Decisions;
using Alignment.Leads;

namespace Alignment.Scoring;

/// <summary>An <see cref="IScoreWatchStore"/> in one process's memory: the default, for a host that runs one instance. Thread-safe.</summary>
public sealed class InMemoryScoreWatchStore : IScoreWatchStore
{
    private readonly Dictionary<LeadId, ScoreWatch> _watches = [];
    private readonly SortedSet<(long Ticks, string Lead)> _byWake = new(Comparer<(long Ticks, string Lead)>.Create(static (x, y) =>
        x.Ticks != y.Ticks ? x.Ticks.CompareTo(y.Ticks) : string.CompareOrdinal(x.Lead, y.Lead)));
    private readonly InMemoryDecisionOutbox? _outbox;
    private long _version;

    /// <summary>Creates a store.</summary>
    /// <param name="outbox">
    /// Where to write the <see cref="AlignmentDecision.ScoreCrossed"/> of every update applied, under the store's lock
    /// (<see cref="IScoreWatchStore.RecordsDecisions"/>), for a <see cref="DecisionRelay"/> to deliver; <see langword="null"/> to
    /// record none (the decay watcher publishes them directly).
    /// </param>
    public InMemoryScoreWatchStore(InMemoryDecisionOutbox? outbox = null) => _outbox = outbox;

    /// <inheritdoc />
    bool IScoreWatchStore.RecordsDecisions => _outbox is not null;

    /// <inheritdoc />
    public ValueTask<ScoreWatch?> SetAsync(LeadId leadId, QualificationState state, DateTimeOffset? crossingAt, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_watches)
        {
            return ValueTask.FromResult(Put(leadId, new ScoreWatchUpdate(state, crossingAt)));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryUpdateAsync(ScoreWatch current, ScoreWatchUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(update);
        update.Validate(current);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_watches)
        {
            if (!_watches.TryGetValue(current.LeadId, out var stored) || stored.Version != current.Version)
            {
                return ValueTask.FromResult(false);
            }

            Put(current.LeadId, update);
            if (_outbox is not null)
            {
                // Recording: the move and its crossings under one lock, so a crossing is in the outbox exactly when the watch moved past it.
                foreach (var crossed in update.Crossings)
                {
                    _outbox.Append(DecisionKeys.For(crossed, crossed.CrossedAt.UtcTicks), crossed);
                }
            }

            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<ScoreWatch?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_watches)
        {
            return ValueTask.FromResult(_watches.GetValueOrDefault(leadId));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ScoreWatch>> GetDueAsync(DateTimeOffset asOf, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        cancellationToken.ThrowIfCancellationRequested();
        var due = new List<ScoreWatch>();
        lock (_watches)
        {
            foreach (var (ticks, lead) in _byWake)
            {
                if (ticks > asOf.UtcTicks || due.Count == maxCount)
                {
                    break;
                }

                due.Add(_watches[new LeadId(lead)]);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<ScoreWatch>>(due);
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> GetNextWakeAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_watches)
        {
            return ValueTask.FromResult(_byWake.Count == 0 ? (DateTimeOffset?)null : _watches[new LeadId(_byWake.Min.Lead)].WakeAt);
        }
    }

    private ScoreWatch? Put(LeadId leadId, ScoreWatchUpdate update)
    {
        if (_watches.Remove(leadId, out var old))
        {
            _byWake.Remove((old.WakeAt.UtcTicks, leadId.Value));
        }

        if (update.CrossingAt is null && update.RetryAt is null)
        {
            return null;
        }

        var watch = new ScoreWatch(leadId, update.State, update.CrossingAt, ++_version) { OwedFrom = update.OwedFrom, RetryAt = update.RetryAt };
        _watches[leadId] = watch;
        _byWake.Add((watch.WakeAt.UtcTicks, leadId.Value));
        return watch;
    }
}
