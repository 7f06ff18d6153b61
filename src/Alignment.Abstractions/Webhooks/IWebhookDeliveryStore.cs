namespace Alignment.Webhooks;

/// <summary>
/// The webhook deliveries of every tenant. Enqueueing is idempotent by <see cref="WebhookDelivery.Id"/>; claiming keeps the order per
/// subscription: only the oldest pending delivery of a subscription can be claimed, so a later one never overtakes an earlier one
/// (a parked or delivered one no longer holds the later ones back).
/// </summary>
/// <remarks>Implementations must be thread-safe.</remarks>
public interface IWebhookDeliveryStore
{
    /// <summary>Adds a pending delivery, unless one with the same id exists (whatever its status).</summary>
    /// <param name="delivery">The delivery.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when added; <see langword="false"/> when the id was known already.</returns>
    ValueTask<bool> EnqueueAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims up to <paramref name="max"/> due deliveries, at most one per subscription (its oldest pending one, when it is due). A claimed
    /// delivery is not due again until <paramref name="now"/> + <paramref name="lease"/>, unless it is marked first.
    /// </summary>
    /// <param name="now">The current time.</param>
    /// <param name="max">The most deliveries to claim.</param>
    /// <param name="lease">How long a claim lasts (longer than one attempt).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The claimed deliveries, oldest first, each with <see cref="WebhookDelivery.LeaseUntil"/> set: pass them as they are to the marks.</returns>
    ValueTask<IReadOnlyList<WebhookDelivery>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>
    /// Marks a claimed delivery delivered, if the claim still holds it: it is pending with the claim's <see cref="WebhookDelivery.Attempts"/>
    /// and <see cref="WebhookDelivery.LeaseUntil"/> (so a claim whose lease ended and that another instance claimed since, or a delivery
    /// replayed meanwhile, is left as it is). Repeating the call for the same claim and instant is harmless.
    /// </summary>
    /// <param name="claimed">The delivery as <see cref="ClaimDueAsync"/> returned it.</param>
    /// <param name="at">When the receiver answered 2xx.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when it is recorded; <see langword="false"/> when the claim no longer held the delivery (nothing changed).</returns>
    /// <exception cref="ArgumentException"><paramref name="claimed"/> was not returned by a claim (its <see cref="WebhookDelivery.LeaseUntil"/> is null).</exception>
    ValueTask<bool> MarkDeliveredAsync(WebhookDelivery claimed, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a failed attempt of a claimed delivery, if the claim still holds it (as for <see cref="MarkDeliveredAsync"/>): the attempts
    /// go up by one, and the delivery is retried at <paramref name="retryAt"/> or, when that is <see langword="null"/>, parked. A delivery
    /// another instance delivered or parked meanwhile is never changed.
    /// </summary>
    /// <param name="claimed">The delivery as <see cref="ClaimDueAsync"/> returned it.</param>
    /// <param name="reason">Why it failed (status code or error, never the body).</param>
    /// <param name="retryAt">When to try again; <see langword="null"/> to park it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when it is recorded; <see langword="false"/> when the claim no longer held the delivery (nothing changed).</returns>
    /// <exception cref="ArgumentException"><paramref name="claimed"/> was not returned by a claim (its <see cref="WebhookDelivery.LeaseUntil"/> is null).</exception>
    ValueTask<bool> MarkFailedAsync(WebhookDelivery claimed, string reason, DateTimeOffset? retryAt, CancellationToken cancellationToken = default);

    /// <summary>The tenant's deliveries, oldest first, optionally of one status.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="status">Only this status; <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The deliveries.</returns>
    ValueTask<IReadOnlyList<WebhookDelivery>> ListAsync(string tenant, WebhookDeliveryStatus? status = null, CancellationToken cancellationToken = default);

    /// <summary>Puts the tenant's parked or delivered delivery <paramref name="id"/> back to pending, attempts 0, due at <paramref name="now"/>; it keeps its id.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The delivery id.</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when it is (now) pending; <see langword="false"/> when the tenant has no delivery with that id.</returns>
    ValueTask<bool> ReplayAsync(string tenant, string id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Removes up to <paramref name="max"/> delivered deliveries that were delivered before <paramref name="deliveredBefore"/>, oldest first (pending and parked ones are kept).</summary>
    /// <param name="deliveredBefore">Deliveries delivered before this instant are removed.</param>
    /// <param name="max">The most to remove in this call (a bounded pass; call again while it returns <paramref name="max"/>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were removed.</returns>
    ValueTask<int> PurgeDeliveredAsync(DateTimeOffset deliveredBefore, int max, CancellationToken cancellationToken = default);
}
