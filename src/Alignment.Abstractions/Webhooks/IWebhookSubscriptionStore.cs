namespace Alignment.Webhooks;

/// <summary>The webhook subscriptions of every tenant. Every call names its tenant: a tenant never sees or changes another's subscriptions.</summary>
/// <remarks>Implementations must be thread-safe.</remarks>
public interface IWebhookSubscriptionStore
{
    /// <summary>Adds a subscription for its <see cref="WebhookSubscription.Tenant"/>.</summary>
    /// <param name="subscription">The subscription.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is stored.</returns>
    /// <exception cref="ArgumentException">A subscription with the same id exists, or the URL is not an absolute http(s) URL.</exception>
    ValueTask AddAsync(WebhookSubscription subscription, CancellationToken cancellationToken = default);

    /// <summary>The tenant's subscriptions, oldest first.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The subscriptions (empty when there are none).</returns>
    ValueTask<IReadOnlyList<WebhookSubscription>> ListAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>The tenant's subscription <paramref name="id"/>, or <see langword="null"/> when the tenant has none with that id.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The subscription's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The subscription or <see langword="null"/>.</returns>
    ValueTask<WebhookSubscription?> FindAsync(string tenant, string id, CancellationToken cancellationToken = default);

    /// <summary>Removes the tenant's subscription <paramref name="id"/>.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The subscription's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when it was removed; <see langword="false"/> when the tenant has none with that id.</returns>
    ValueTask<bool> RemoveAsync(string tenant, string id, CancellationToken cancellationToken = default);
}
