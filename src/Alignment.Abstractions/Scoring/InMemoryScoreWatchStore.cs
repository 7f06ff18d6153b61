using Alignment.Leads;

namespace Alignment.Scoring;

/// <summary>An <see cref="IScoreWatchStore"/> in one process's memory: the default, for a host that runs one instance. Thread-safe.</summary>
public sealed class InMemoryScoreWatchStore : IScoreWatchStore
{
    private readonly Dictionary<LeadId, ScoreWatch> _watches = [];
    private readonly SortedSet<(long Ticks, string Lead)> _byWake = new(Comparer<(long Ticks, string Lead)>.Create(static (x, y) =>
        x.Ticks != y.Ticks ? x.Ticks.CompareTo(y.Ticks) : string.CompareOrdinal(x.Lead, y.Lead)));
    private long _version;

    /// <inheritdoc />
    public ValueTask<ScoreWatch?> SetAsync(LeadId leadId, QualificationState state, DateTimeOffset? wakeAt, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_watches)
        {
            return ValueTask.FromResult(Put(leadId, state, wakeAt));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryUpdateAsync(ScoreWatch current, QualificationState state, DateTimeOffset? wakeAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_watches)
        {
            if (!_watches.TryGetValue(current.LeadId, out var stored) || stored.Version != current.Version)
            {
                return ValueTask.FromResult(false);
            }

            Put(current.LeadId, state, wakeAt);
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

    private ScoreWatch? Put(LeadId leadId, QualificationState state, DateTimeOffset? wakeAt)
    {
        if (_watches.Remove(leadId, out var old))
        {
            _byWake.Remove((old.WakeAt.UtcTicks, leadId.Value));
        }

        if (wakeAt is not { } at)
        {
            return null;
        }

        var watch = new ScoreWatch(leadId, state, at, ++_version);
        _watches[leadId] = watch;
        _byWake.Add((at.UtcTicks, leadId.Value));
        return watch;
    }
}
