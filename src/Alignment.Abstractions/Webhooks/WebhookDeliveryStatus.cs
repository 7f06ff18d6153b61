namespace Alignment.Webhooks;

/// <summary>Where a <see cref="WebhookDelivery"/> stands.</summary>
public enum WebhookDeliveryStatus
{
    /// <summary>Waiting for its first attempt or a retry at <see cref="WebhookDelivery.NextAttemptAt"/>.</summary>
    Pending = 0,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered = 1,

    /// <summary>Failed the most attempts the dispatcher allows (<c>WebhookOptions.MaxAttempts</c> in Alignment.AspNetCore) (or its subscription was removed): no more attempts until it is replayed.</summary>
    Parked = 2,
}
