namespace Alignment.Webhooks;

/// <summary>Deliveries held in this process's memory: for one instance and tests (lost on restart). Thread-safe.</summary>
public sealed class InMemoryWebhookDeliveryStore : IWebhookDeliveryStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private long _sequence;

    /// <inheritdoc />
    public ValueTask<bool> EnqueueAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        lock (_gate)
        {
            if (_byId.ContainsKey(delivery.Id))
            {
                return ValueTask.FromResult(false);
            }

            _byId.Add(delivery.Id, new Entry(++_sequence, delivery with { Status = WebhookDeliveryStatus.Pending }));
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<WebhookDelivery>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        ArgumentOutOfRangeException.ThrowIfLessThan(lease, TimeSpan.Zero);
        lock (_gate)
        {
            // The oldest pending delivery of each subscription, due or not: a subscription whose head is not due waits.
            var heads = new Dictionary<(string, string), Entry>();
            foreach (var entry in _byId.Values)
            {
                var d = entry.Delivery;
                if (d.Status != WebhookDeliveryStatus.Pending)
                {
                    continue;
                }

                var key = (d.Tenant, d.SubscriptionId);
                if (!heads.TryGetValue(key, out var head) || entry.Sequence < head.Sequence)
                {
                    heads[key] = entry;
                }
            }

            var claimed = heads.Values.Where(e => e.Delivery.NextAttemptAt <= now).OrderBy(e => e.Sequence).Take(max).ToList();
            var result = new List<WebhookDelivery>(claimed.Count);
            foreach (var entry in claimed)
            {
                result.Add(entry.Delivery with { LeaseUntil = now + lease });
                entry.Delivery = entry.Delivery with { NextAttemptAt = now + lease };
            }

            return ValueTask.FromResult<IReadOnlyList<WebhookDelivery>>(result);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> MarkDeliveredAsync(WebhookDelivery claimed, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var lease = LeaseOf(claimed);
        lock (_gate)
        {
            if (!_byId.TryGetValue(claimed.Id, out var entry))
            {
                return ValueTask.FromResult(false);
            }

            var d = entry.Delivery;
            if (d.Status == WebhookDeliveryStatus.Delivered && d.Attempts == claimed.Attempts + 1 && d.DeliveredAt == at)
            {
                return ValueTask.FromResult(true); // this claim's mark, repeated
            }

            if (!Holds(d, claimed, lease))
            {
                return ValueTask.FromResult(false);
            }

            entry.Delivery = d with { Status = WebhookDeliveryStatus.Delivered, Attempts = d.Attempts + 1, DeliveredAt = at, LastError = null };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> MarkFailedAsync(WebhookDelivery claimed, string reason, DateTimeOffset? retryAt, CancellationToken cancellationToken = default)
    {
        var lease = LeaseOf(claimed);
        ArgumentNullException.ThrowIfNull(reason);
        lock (_gate)
        {
            if (!_byId.TryGetValue(claimed.Id, out var entry) || !Holds(entry.Delivery, claimed, lease))
            {
                return ValueTask.FromResult(false);
            }

            var d = entry.Delivery;
            entry.Delivery = retryAt is { } next
                ? d with { Attempts = d.Attempts + 1, LastError = reason, NextAttemptAt = next }
                : d with { Attempts = d.Attempts + 1, LastError = reason, Status = WebhookDeliveryStatus.Parked };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<WebhookDelivery>> ListAsync(string tenant, WebhookDeliveryStatus? status = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<WebhookDelivery>>(
                [.. _byId.Values.Where(e => e.Delivery.Tenant == tenant && (status is null || e.Delivery.Status == status)).OrderBy(e => e.Sequence).Select(e => e.Delivery)]);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ReplayAsync(string tenant, string id, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            if (!_byId.TryGetValue(id, out var entry) || entry.Delivery.Tenant != tenant)
            {
                return ValueTask.FromResult(false);
            }

            if (entry.Delivery.Status != WebhookDeliveryStatus.Pending)
            {
                entry.Delivery = entry.Delivery with { Status = WebhookDeliveryStatus.Pending, Attempts = 0, NextAttemptAt = now, DeliveredAt = null };
            }

            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeDeliveredAsync(DateTimeOffset deliveredBefore, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        lock (_gate)
        {
            var old = _byId.Values
                .Where(e => e.Delivery.Status == WebhookDeliveryStatus.Delivered && e.Delivery.DeliveredAt < deliveredBefore)
                .OrderBy(e => e.Delivery.DeliveredAt).Take(max).Select(e => e.Delivery.Id).ToList();
            foreach (string id in old)
            {
                _byId.Remove(id);
            }

            return ValueTask.FromResult(old.Count);
        }
    }

    /// <summary>The claim's lease end; throws when the delivery did not come from a claim.</summary>
    private static DateTimeOffset LeaseOf(WebhookDelivery claimed)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        return claimed.LeaseUntil ?? throw new ArgumentException($"Delivery '{claimed.Id}' was not returned by ClaimDueAsync (its LeaseUntil is null): only a claimed delivery can be marked.", nameof(claimed));
    }

    // The claim still holds the delivery: pending, no attempt recorded since, and its next attempt still the claim's lease end.
    private static bool Holds(WebhookDelivery stored, WebhookDelivery claimed, DateTimeOffset lease) =>
        stored.Status == WebhookDeliveryStatus.Pending && stored.Attempts == claimed.Attempts && stored.NextAttemptAt.UtcTicks == lease.UtcTicks;

    private sealed class Entry(long sequence, WebhookDelivery delivery)
    {
        public long Sequence { get; } = sequence;

        public WebhookDelivery Delivery { get; set; } = delivery;
    }
}
