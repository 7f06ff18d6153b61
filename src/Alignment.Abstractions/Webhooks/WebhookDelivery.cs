namespace Alignment.Webhooks;

/// <summary>One decision on its way to one subscription.</summary>
/// <param name="Id">The delivery id, sent as <c>Alignment-Delivery</c>: the same for the same decision and subscription however often it is published, retried or replayed.</param>
/// <param name="Tenant">The tenant.</param>
/// <param name="SubscriptionId">The subscription.</param>
/// <param name="Url">The subscription's URL when the delivery was made.</param>
/// <param name="EventKind">The decision's kind (<see cref="WebhookEvents"/>).</param>
/// <param name="Body">The JSON body, UTF-8.</param>
/// <param name="CreatedAt">When it was enqueued.</param>
public sealed record WebhookDelivery(string Id, string Tenant, string SubscriptionId, Uri Url, string EventKind, ReadOnlyMemory<byte> Body, DateTimeOffset CreatedAt)
{
    /// <summary>The attempts made since it was enqueued or last replayed.</summary>
    public int Attempts { get; init; }

    /// <summary>When it is due next (for a pending delivery).</summary>
    public DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>Pending, delivered or parked.</summary>
    public WebhookDeliveryStatus Status { get; init; }

    /// <summary>Why the last attempt failed (status code or error), or <see langword="null"/>.</summary>
    public string? LastError { get; init; }

    /// <summary>When the receiver answered 2xx, or <see langword="null"/>.</summary>
    public DateTimeOffset? DeliveredAt { get; init; }

    /// <summary>
    /// On a delivery <see cref="IWebhookDeliveryStore.ClaimDueAsync"/> returned: when that claim ends. With <see cref="Attempts"/> it fences
    /// the marks: <see cref="IWebhookDeliveryStore.MarkDeliveredAsync"/> and <see cref="IWebhookDeliveryStore.MarkFailedAsync"/> change the
    /// delivery only while this claim still holds it. <see langword="null"/> on a delivery that was not claimed (as listed).
    /// </summary>
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>The delivery without its body.</summary>
    /// <returns>Id, tenant, subscription, kind, status and attempts.</returns>
    public override string ToString() => $"WebhookDelivery {{ Id = {Id}, Tenant = {Tenant}, SubscriptionId = {SubscriptionId}, EventKind = {EventKind}, Status = {Status}, Attempts = {Attempts} }}";
}
