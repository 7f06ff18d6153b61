using System.Runtime.CompilerServices;
using System.Text;
using Alignment.Collections;

namespace Alignment.Leads;

/// <summary>The embedded, in-process <see cref="ILeadDocumentStore"/>: thread-safe, lost on restart.</summary>
/// <remarks>
/// Each document's JSON is kept as UTF-8, about half the memory of a string when the text is mostly ASCII (a service that
/// keeps every lead in memory holds mostly these): the bytes of a document made from UTF-8 (<see cref="LeadDocument.IsUtf8"/>)
/// are copied as they are (never the caller's array, which it may reuse), one made from text is encoded once. A document read
/// back is made from the kept bytes, so its text is made only if a caller asks for <see cref="LeadDocument.Json"/>.
/// </remarks>
public sealed class InMemoryLeadDocumentStore : ILeadDocumentStore
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    // Sharded, so that a map of a million leads never grows all at once under the lock (ShardedDictionary).
    private readonly ShardedDictionary<LeadId, Kept> _documents = new();
    private readonly ShardedDictionary<string, IngestReceipt> _receipts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _pending = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public ValueTask<LeadDocument?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Kept? kept;
        lock (_gate)
        {
            kept = _documents.TryGetValue(leadId, out var found) ? found : null;
        }

        return ValueTask.FromResult(kept?.ToDocument(leadId)); // decoded outside the lock
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="idempotencyKey"/> is null.</exception>
    public ValueTask<IngestReceipt?> FindReceiptAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_receipts.TryGetValue(idempotencyKey, out var r) ? r : null);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">Besides the interface's cases: a document made from UTF-8 whose bytes are no longer UTF-8 (changed after it was made; checked on the store's copy, for a document the store keeps).</exception>
    public ValueTask<LeadDocumentSave> SaveAsync(LeadDocument document, long expectedVersion, IngestReceipt? receipt, CancellationToken cancellationToken = default)
    {
        LeadDocumentRules.Check(document, expectedVersion, receipt);
        cancellationToken.ThrowIfCancellationRequested();
        var kept = Kept.From(document); // encoded outside the lock
        lock (_gate)
        {
            if (receipt is not null && _receipts.ContainsKey(receipt.IdempotencyKey))
            {
                return ValueTask.FromResult(LeadDocumentSave.ReceiptExists);
            }

            long stored = _documents.TryGetValue(document.LeadId, out var current) ? current.Version : 0;
            if (stored != expectedVersion)
            {
                return ValueTask.FromResult(LeadDocumentSave.VersionConflict);
            }

            _documents[document.LeadId] = kept;
            if (receipt is not null)
            {
                _receipts.Add(receipt.IdempotencyKey, receipt);
                _pending.Remove(receipt.IdempotencyKey);
            }

            return ValueTask.FromResult(LeadDocumentSave.Saved);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">Besides the interface's cases: a document made from UTF-8 whose bytes are no longer UTF-8 (changed after it was made; checked on the store's copy, for a document the store keeps).</exception>
    public ValueTask<LeadDocument?> AddOrFindAsync(LeadDocument document, CancellationToken cancellationToken = default)
    {
        LeadDocumentRules.Check(document, 0, null);
        cancellationToken.ThrowIfCancellationRequested();
        Kept? stored;
        lock (_gate)
        {
            stored = _documents.TryGetValue(document.LeadId, out var found) ? found : null;
        }

        if (stored is null)
        {
            var kept = Kept.From(document); // encoded outside the lock, and only for a lead not stored yet
            lock (_gate)
            {
                if (_documents.TryAdd(document.LeadId, kept))
                {
                    return ValueTask.FromResult<LeadDocument?>(null);
                }

                stored = _documents[document.LeadId]; // another caller added it meanwhile
            }
        }

        return ValueTask.FromResult<LeadDocument?>(stored.Value.ToDocument(document.LeadId));
    }

    /// <inheritdoc />
    public ValueTask<IngestKeyClaim> ClaimKeyAsync(string idempotencyKey, DateTimeOffset now, TimeSpan hold, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(hold, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_receipts.TryGetValue(idempotencyKey, out var receipt))
            {
                return ValueTask.FromResult(new IngestKeyClaim(IngestKeyClaimStatus.Answered, receipt, null));
            }

            if (_pending.TryGetValue(idempotencyKey, out var until) && until > now)
            {
                return ValueTask.FromResult(new IngestKeyClaim(IngestKeyClaimStatus.Pending, null, until));
            }

            _pending[idempotencyKey] = now + hold;
            return ValueTask.FromResult(new IngestKeyClaim(IngestKeyClaimStatus.Claimed, null, now + hold));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ReleaseKeyAsync(string idempotencyKey, DateTimeOffset claimedUntil, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        lock (_gate)
        {
            return ValueTask.FromResult(_pending.TryGetValue(idempotencyKey, out var until) && until.UtcTicks == claimedUntil.UtcTicks && _pending.Remove(idempotencyKey));
        }
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeReceiptsAsync(DateTimeOffset answeredBefore, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        lock (_gate)
        {
            var old = _receipts.Values.Where(r => r.At < answeredBefore).OrderBy(r => r.At).Take(max).Select(r => r.IdempotencyKey).ToList();
            foreach (string key in old)
            {
                _receipts.Remove(key);
            }

            return ValueTask.FromResult(old.Count);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LeadDocument> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        KeyValuePair<LeadId, Kept>[] all;
        lock (_gate)
        {
            all = _documents.ToArray(); // a snapshot of immutable entries; each is decoded as it is yielded, outside the lock
        }

        foreach (var (leadId, kept) in all)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return kept.ToDocument(leadId);
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>
    /// A saved document: its JSON as UTF-8 (a copy of the document's bytes when it was made from them, its text encoded
    /// otherwise), or as the string itself when the text is not valid UTF-16 (a lone surrogate). A value in the
    /// dictionary's own entries, not an object of its own: a service that keeps every lead here has one object fewer per lead for
    /// the GC to mark and move.
    /// </summary>
    private readonly struct Kept
    {
        private readonly byte[]? _utf8;
        private readonly string? _text;

        private Kept(long version, byte[]? utf8, string? text, DateTimeOffset updatedAt)
        {
            Version = version;
            _utf8 = utf8;
            _text = text;
            UpdatedAt = updatedAt;
        }

        public long Version { get; }

        public DateTimeOffset UpdatedAt { get; }

        public static Kept From(LeadDocument document)
        {
            if (document.IsUtf8)
            {
                // Copied: the caller's array may be a buffer it reuses or returns to a pool (a copy of a few KB is cheap beside
                // making and encoding the text, which a document made from UTF-8 saves). The copy is checked again, so that bytes
                // changed since the document was made are refused here rather than kept and read back unchecked.
                byte[] copy = document.Utf8Json.ToArray();
                if (!System.Text.Unicode.Utf8.IsValid(copy))
                {
                    throw new ArgumentException($"Lead {document.LeadId}: the document's UTF-8 bytes changed after it was made and are no longer valid UTF-8.", nameof(document));
                }

                return new Kept(document.Version, copy, null, document.UpdatedAt);
            }

            try
            {
                return new Kept(document.Version, StrictUtf8.GetBytes(document.Json), null, document.UpdatedAt);
            }
            catch (EncoderFallbackException)
            {
                return new Kept(document.Version, null, document.Json, document.UpdatedAt);
            }
        }

        public LeadDocument ToDocument(LeadId leadId) =>
            _text is null ? new(leadId, Version, _utf8!, UpdatedAt, validated: true) : new(leadId, Version, _text, UpdatedAt);
    }
}
