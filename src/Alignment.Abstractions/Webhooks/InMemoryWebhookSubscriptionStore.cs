using System.Collections.Concurrent;

namespace Alignment.Webhooks;

/// <summary>Subscriptions held in this process's memory: for one instance and tests. Thread-safe.</summary>
public sealed class InMemoryWebhookSubscriptionStore : IWebhookSubscriptionStore
{
    private readonly ConcurrentDictionary<string, List<WebhookSubscription>> _byTenant = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask AddAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (!WebhookSubscription.IsValidUrl(subscription.Url))
        {
            throw new ArgumentException("A webhook URL must be an absolute http or https URL.", nameof(subscription));
        }

        var list = _byTenant.GetOrAdd(subscription.Tenant, static _ => []);
        lock (list)
        {
            if (list.Exists(s => s.Id == subscription.Id))
            {
                throw new ArgumentException($"Subscription {subscription.Id} exists already.", nameof(subscription));
            }

            list.Add(subscription);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<WebhookSubscription>> ListAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (!_byTenant.TryGetValue(tenant, out var list))
        {
            return ValueTask.FromResult<IReadOnlyList<WebhookSubscription>>([]);
        }

        lock (list)
        {
            return ValueTask.FromResult<IReadOnlyList<WebhookSubscription>>([.. list]);
        }
    }

    /// <inheritdoc />
    public ValueTask<WebhookSubscription?> FindAsync(string tenant, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(id);
        if (!_byTenant.TryGetValue(tenant, out var list))
        {
            return ValueTask.FromResult<WebhookSubscription?>(null);
        }

        lock (list)
        {
            return ValueTask.FromResult(list.Find(s => s.Id == id));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RemoveAsync(string tenant, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(id);
        if (!_byTenant.TryGetValue(tenant, out var list))
        {
            return ValueTask.FromResult(false);
        }

        lock (list)
        {
            return ValueTask.FromResult(list.RemoveAll(s => s.Id == id) > 0);
        }
    }
}
