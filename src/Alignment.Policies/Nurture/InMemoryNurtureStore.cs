using System.Runtime.CompilerServices;
using Alignment.Collections;
using Alignment.Decisions;
using Alignment.Leads;

namespace Alignment.Policies.Nurture;

/// <summary>
/// The embedded, in-process <see cref="INurtureStore"/>: thread-safe, lost on restart. Due enrolments are kept in a sorted index by
/// due time (or lease expiry, while leased), so "what is due now" costs O(log n + k) for k due items among n enrolments.
/// </summary>
/// <remarks>Thread-safe: every method takes one lock, so claims are atomic and two callers never claim the same enrolment.</remarks>
public sealed class InMemoryNurtureStore : INurtureStore
{
    private readonly Lock _gate = new();
    // The maps that grow with the leads are sharded, so that none grows all at once under the lock (ShardedDictionary).
    private readonly ShardedDictionary<LeadId, Entry> _latest = new();
    private readonly SortedSet<DueKey> _due = [];
    private readonly ShardedDictionary<long, Entry> _bySlot = new();
    private readonly ShardedDictionary<(string EnrolmentId, int Step), NurtureSentStep> _sent = new();
    private readonly ShardedDictionary<LeadId, List<NurtureSentStep>> _sentByLead = new();
    private readonly InMemoryDecisionOutbox? _outbox;
    private long _nextSlot;

    /// <summary>Creates a store.</summary>
    /// <param name="outbox">
    /// Where to write the nurture decisions (every enrolment inserted, every step recorded as sent, the step skipped or exit handed to
    /// <see cref="TryUpdateAsync"/>) under the store's lock (<see cref="INurtureStore.RecordsDecisions"/>), for a
    /// <see cref="DecisionRelay"/> to deliver; <see langword="null"/> to record none (the engine publishes them directly).
    /// </param>
    public InMemoryNurtureStore(InMemoryDecisionOutbox? outbox = null) => _outbox = outbox;

    /// <inheritdoc />
    bool INurtureStore.RecordsDecisions => _outbox is not null;

    /// <summary>The number of leads with an enrolment (of any status).</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _latest.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<NurtureEnrolmentRecord?> FindLatestAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_latest.TryGetValue(leadId, out var e) ? e.Record : null);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public ValueTask<bool> TryInsertAsync(NurtureEnrolmentRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_latest.TryGetValue(record.LeadId, out var current) && (current.Record.IsOnTrack || record.Sequence <= current.Record.Sequence))
            {
                return ValueTask.FromResult(false);
            }

            if (current is not null)
            {
                Unindex(current);
            }

            Put(record with { Version = 1 });
            RecordEnrolled(record);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="successor"/> is not the lead's next enrolment, or <paramref name="record"/> does not end when <paramref name="successor"/> is given.</exception>
    public ValueTask<bool> TryUpdateAsync(NurtureEnrolmentRecord record, int expectedVersion, NurtureEnrolmentRecord? successor = null, AlignmentDecision? decision = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        cancellationToken.ThrowIfCancellationRequested();
        if (successor is not null && (successor.LeadId != record.LeadId || successor.Sequence != record.Sequence + 1 || record.IsOnTrack))
        {
            throw new ArgumentException($"Lead {record.LeadId}: the next enrolment must be the same lead's sequence {record.Sequence + 1}, and the current one must end.", nameof(successor));
        }

        string? key = decision is not null && _outbox is not null ? DecisionKeys.For(decision) : null; // refuses a kind without a key before anything changes
        lock (_gate)
        {
            if (!_latest.TryGetValue(record.LeadId, out var current) || current.Record.Sequence != record.Sequence || current.Record.Version != expectedVersion)
            {
                return ValueTask.FromResult(false);
            }

            Unindex(current);
            Put(record with { Version = expectedVersion + 1 });
            if (key is not null)
            {
                _outbox!.Append(key, decision!);
            }

            if (successor is not null)
            {
                Unindex(_latest[record.LeadId]);
                Put(successor with { Version = 1 });
                RecordEnrolled(successor);
            }

            return ValueTask.FromResult(true);
        }
    }

    private void RecordEnrolled(NurtureEnrolmentRecord record)
    {
        if (_outbox is not null)
        {
            var enrolled = new AlignmentDecision.Enrolled(record.ToEnrolment()) { Policy = record.Policy };
            _outbox.Append(DecisionKeys.For(enrolled, record.Sequence), enrolled);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<NurtureDueItem>> PeekDueAsync(DateTimeOffset asOf, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        cancellationToken.ThrowIfCancellationRequested();
        var result = new List<NurtureDueItem>(Math.Min(maxCount, 64));
        lock (_gate)
        {
            foreach (var key in _due)
            {
                if (key.Ticks > asOf.UtcTicks || result.Count == maxCount)
                {
                    break;
                }

                var r = _bySlot[key.Slot].Record;
                result.Add(new NurtureDueItem(r.LeadId, r.EnrolmentId, r.TrackId, r.NextStep, r.NextDueAt!.Value));
            }
        }

        return ValueTask.FromResult<IReadOnlyList<NurtureDueItem>>(result);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><paramref name="owner"/> is empty.</exception>
    public ValueTask<IReadOnlyList<NurtureEnrolmentRecord>> ClaimDueAsync(DateTimeOffset asOf, int maxCount, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        cancellationToken.ThrowIfCancellationRequested();
        var claimed = new List<NurtureEnrolmentRecord>(Math.Min(maxCount, 64));
        lock (_gate)
        {
            var picked = new List<Entry>(Math.Min(maxCount, 64));
            foreach (var key in _due)
            {
                if (key.Ticks > asOf.UtcTicks || picked.Count == maxCount)
                {
                    break;
                }

                picked.Add(_bySlot[key.Slot]);
            }

            foreach (var entry in picked)
            {
                Unindex(entry);
                var record = entry.Record with { LeaseOwner = owner, LeaseUntil = leaseUntil, Version = entry.Record.Version + 1 };
                Put(record);
                claimed.Add(record);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<NurtureEnrolmentRecord>>(claimed);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="sent"/> is null.</exception>
    public ValueTask<bool> TryRecordSentAsync(NurtureSentStep sent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sent);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_sent.TryAdd((sent.EnrolmentId, sent.StepIndex), sent))
            {
                return ValueTask.FromResult(false);
            }

            if (!_sentByLead.TryGetValue(sent.LeadId, out var list))
            {
                _sentByLead[sent.LeadId] = list = [];
            }

            list.Add(sent);
            if (_outbox is not null)
            {
                var decision = sent.ToDecision();
                _outbox.Append(DecisionKeys.For(decision), decision);
            }

            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> WasSentAsync(string enrolmentId, int stepIndex, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_sent.ContainsKey((enrolmentId, stepIndex)));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<NurtureSentStep>> ListSentAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            // Oldest first, as the contract says (and the PostgreSQL store orders): a step recorded late, with an earlier send time
            // (a slow host, a retried delivery), still lists in time order.
            IReadOnlyList<NurtureSentStep> result = _sentByLead.TryGetValue(leadId, out var list)
                ? [.. list.OrderBy(s => s.SentAt).ThenBy(s => s.EnrolmentId, StringComparer.Ordinal).ThenBy(s => s.StepIndex)]
                : [];
            return ValueTask.FromResult(result);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<NurtureEnrolmentRecord> ListLatestAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        NurtureEnrolmentRecord[] snapshot;
        lock (_gate)
        {
            snapshot = [.. _latest.Values.Select(static e => e.Record)];
        }

        foreach (var record in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return record;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private void Put(NurtureEnrolmentRecord record)
    {
        var entry = new Entry(record, _nextSlot++);
        _latest[record.LeadId] = entry;
        var dueTicks = IndexTicks(record);
        if (dueTicks is { } ticks)
        {
            entry.Key = new DueKey(ticks, entry.Slot);
            _due.Add(entry.Key.Value);
            _bySlot[entry.Slot] = entry;
        }
    }

    private void Unindex(Entry entry)
    {
        if (entry.Key is { } key)
        {
            _due.Remove(key);
            _bySlot.Remove(key.Slot);
            entry.Key = null;
        }
    }

    private static long? IndexTicks(NurtureEnrolmentRecord record)
    {
        if (record.Status == NurtureEnrolmentStatus.Ended || record.NextDueAt is not { } due)
        {
            return null;
        }

        return record.LeaseUntil is { } lease && lease > due ? lease.UtcTicks : due.UtcTicks;
    }

    private readonly record struct DueKey(long Ticks, long Slot) : IComparable<DueKey>
    {
        public int CompareTo(DueKey other)
        {
            var c = Ticks.CompareTo(other.Ticks);
            return c != 0 ? c : Slot.CompareTo(other.Slot);
        }
    }

    private sealed class Entry(NurtureEnrolmentRecord record, long slot)
    {
        public NurtureEnrolmentRecord Record { get; } = record;

        public long Slot { get; } = slot;

        public DueKey? Key { get; set; }
    }
}
