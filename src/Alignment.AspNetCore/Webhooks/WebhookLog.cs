using Alignment.Webhooks;
using Microsoft.Extensions.Logging;

namespace Alignment.AspNetCore.Webhooks;

/// <summary>What the webhook dispatcher logs, with stable event ids (4501-4549). Ids, kinds, status codes and counts only: never a body, a secret or a URL's query.</summary>
internal static partial class WebhookLog
{
    [LoggerMessage(4501, LogLevel.Debug, "Webhook delivery {DeliveryId} ({EventKind}) of tenant {Tenant} delivered on attempt {Attempt}")]
    public static partial void Delivered(ILogger logger, string deliveryId, string eventKind, string tenant, int attempt);

    [LoggerMessage(4502, LogLevel.Warning, "Webhook delivery {DeliveryId} of tenant {Tenant} failed on attempt {Attempt} ({Error}); retried at {RetryAt:O}")]
    public static partial void Retrying(ILogger logger, string deliveryId, string tenant, int attempt, string error, DateTimeOffset retryAt);

    [LoggerMessage(4503, LogLevel.Error, "Webhook delivery {DeliveryId} of tenant {Tenant} parked after {Attempt} attempts ({Error}); replay it by id")]
    public static partial void Parked(ILogger logger, string deliveryId, string tenant, int attempt, string error);

    [LoggerMessage(4505, LogLevel.Warning, "Webhook delivery {DeliveryId} of tenant {Tenant}: its claim ended before the attempt was recorded (it was claimed again, replayed or marked meanwhile); the outcome of this attempt was not recorded")]
    public static partial void ClaimLost(ILogger logger, string deliveryId, string tenant);

    [LoggerMessage(4504, LogLevel.Error, "Webhook dispatch cycle failed; next cycle in {Delay}")]
    public static partial void CycleFailed(ILogger logger, Exception exception, TimeSpan delay);
}
