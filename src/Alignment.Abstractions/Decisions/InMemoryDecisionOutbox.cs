namespace Alignment.Decisions;

/// <summary>
/// An <see cref="IDecisionOutbox"/> in memory, with the same contract as a durable one within the process: the in-memory stores
/// append to it inside their lock, in the same unit of work as the state change, and a <see cref="DecisionRelay"/> delivers
/// from it. Lost with the process, so a host with durable stores uses the outbox of its database instead.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemoryDecisionOutbox : IDecisionOutbox
{
    // Sequences are handed out in order under the lock, so the pending decisions are a queue: appending is O(1) (a sorted
    // dictionary cost a tree node and O(log n) per decision), reading the oldest walks from the head, and a delivered decision
    // leaves the queue when it reaches the head (the relay marks the oldest ones, so that is at once in practice; see
    // MarkDeliveredAsync for the other case). The collections keep the capacity of the largest backlog, as the key set always did.
    private readonly Lock _gate = new();
    private readonly Queue<DecisionEnvelope> _order = new();
    private readonly Dictionary<long, DecisionEnvelope> _pending = [];
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
    /// their decision is pending, so memory stays bounded by about twice the most decisions ever pending at once.
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
            var envelope = new DecisionEnvelope(sequence, key, decision.IdempotencyKey == key ? decision : decision with { IdempotencyKey = key });
            _pending.Add(sequence, envelope);
            _order.Enqueue(envelope);
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
            var oldest = new List<DecisionEnvelope>(Math.Min(maxCount, _pending.Count));
            foreach (var envelope in _order)
            {
                if (oldest.Count == maxCount)
                {
                    break;
                }

                if (_pending.ContainsKey(envelope.Sequence))
                {
                    oldest.Add(envelope);
                }
            }

            return ValueTask.FromResult<IReadOnlyList<DecisionEnvelope>>(oldest);
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

            while (_order.TryPeek(out var head) && !_pending.ContainsKey(head.Sequence))
            {
                _order.Dequeue();
            }

            // Marked out of order behind a pending head (not what a DecisionRelay does): rebuilt in place once the delivered ones
            // are most of the queue, so reads stay O(pending) and a rebuild costs O(1) per decision marked, amortised.
            if (_order.Count > 64 && _order.Count > 2 * _pending.Count)
            {
                for (int n = _order.Count; n > 0; n--)
                {
                    var envelope = _order.Dequeue();
                    if (_pending.ContainsKey(envelope.Sequence))
                    {
                        _order.Enqueue(envelope);
                    }
                }
            }
        }

        return ValueTask.CompletedTask;
    }
}
