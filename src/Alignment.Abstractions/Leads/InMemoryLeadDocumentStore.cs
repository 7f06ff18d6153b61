using System.Runtime.CompilerServices;

namespace Alignment.Leads;

/// <summary>The embedded, in-process <see cref="ILeadDocumentStore"/>: thread-safe, lost on restart.</summary>
public sealed class InMemoryLeadDocumentStore : ILeadDocumentStore
{
    private readonly Dictionary<LeadId, LeadDocument> _documents = [];
    private readonly Dictionary<string, IngestReceipt> _receipts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _pending = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public ValueTask<LeadDocument?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_documents.TryGetValue(leadId, out var d) ? d : null);
        }
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
    public ValueTask<LeadDocumentSave> SaveAsync(LeadDocument document, long expectedVersion, IngestReceipt? receipt, CancellationToken cancellationToken = default)
    {
        LeadDocumentRules.Check(document, expectedVersion, receipt);
        cancellationToken.ThrowIfCancellationRequested();
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

            _documents[document.LeadId] = document;
            if (receipt is not null)
            {
                _receipts.Add(receipt.IdempotencyKey, receipt);
                _pending.Remove(receipt.IdempotencyKey);
            }

            return ValueTask.FromResult(LeadDocumentSave.Saved);
        }
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
        LeadDocument[] all;
        lock (_gate)
        {
            all = [.. _documents.Values];
        }

        foreach (var d in all)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return d;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
