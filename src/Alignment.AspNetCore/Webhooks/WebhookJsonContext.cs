using System.Text.Json;
using System.Text.Json.Serialization;
using Alignment.Webhooks;

namespace Alignment.AspNetCore.Webhooks;

/// <summary>The body of <c>POST /webhooks</c>.</summary>
internal sealed record CreateWebhookRequest(string? Url, string?[]? Events);

/// <summary>A subscription as the endpoints show it (no secret).</summary>
internal sealed record WebhookSubscriptionResponse(string Id, string Url, string[] Events);

/// <summary>The answer to <c>POST /webhooks</c>: the only time the secret is shown.</summary>
internal sealed record WebhookCreatedResponse(string Id, string Url, string[] Events, string Secret);

/// <summary>A delivery as the endpoints show it (no body).</summary>
internal sealed record WebhookDeliveryResponse(
    string Id, string SubscriptionId, string Url, string Event, string Status, int Attempts, DateTimeOffset NextAttemptAt, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt);

/// <summary>Source-generated (trim-friendly) JSON for the webhook endpoints' bodies, camelCase.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CreateWebhookRequest))]
[JsonSerializable(typeof(WebhookSubscriptionResponse[]))]
[JsonSerializable(typeof(WebhookCreatedResponse))]
[JsonSerializable(typeof(WebhookDeliveryResponse[]))]
internal sealed partial class WebhookJsonContext : JsonSerializerContext;
