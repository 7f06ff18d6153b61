namespace Alignment.Decisions;

/// <summary>
/// An <see cref="IDecisionOutbox"/> in memory, with the same contract as a durable one within the process: the in-memory stores
/// append to it inside their lock, in the same unit of work as the state change, and a <see cref="DecisionRelay"/> delivers
/// from it. Lost with the process, so a host with durable stores uses the outbox of its database instead.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemoryDecisionOutbox : IDecisionOutbox
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, DecisionEnvelope> _pending = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private long _next;

    /// <summary>The number of decisions not yet marked delivered.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>
    /// Appends a decision, unless one with the same key is still pending (then nothing happens: a repeated state change does not
    /// record its decision twice). Stores call this inside the lock that makes their state change atomic. Keys are kept only while
    /// their decision is pending, so memory stays bounded by what is not yet delivered.
    /// </summary>
    /// <param name="key">The idempotency key.</param>
    /// <param name="decision">The decision.</param>
    /// <returns><see langword="true"/> when appended; <see langword="false"/> when a decision with that key is pending.</returns>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null, empty or white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> is null.</exception>
    public bool Append(string key, AlignmentDecision decision)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(decision);
        lock (_gate)
        {
            if (!_keys.Add(key))
            {
                return false;
            }

            long sequence = ++_next;
            _pending.Add(sequence, new DecisionEnvelope(sequence, key, decision.IdempotencyKey == key ? decision : decision with { IdempotencyKey = key }));
            return true;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is less than 1.</exception>
    public ValueTask<IReadOnlyList<DecisionEnvelope>> ReadPendingAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<DecisionEnvelope>>([.. _pending.Values.Take(maxCount)]);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="sequences"/> is null.</exception>
    public ValueTask MarkDeliveredAsync(IReadOnlyList<long> sequences, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (long s in sequences)
            {
                if (_pending.Remove(s, out var removed))
                {
                    _keys.Remove(removed.Key);
                }
            }
        }

        return ValueTask.CompletedTask;
    }
}
