using System.Security.Cryptography;
using System.Text;
using Alignment.Decisions;
using Alignment.Webhooks;

namespace Alignment.AspNetCore.Webhooks;

/// <summary>
/// The <see cref="IDecisionSink"/> of one tenant that turns each decision into one pending <see cref="WebhookDelivery"/> per matching
/// subscription; the <see cref="WebhookDispatcher"/> sends them. Publishing the same decision again (a relay retry, a re-run) makes no
/// second delivery: the delivery id is a hash of the subscription id and the decision's idempotency key (or, for a decision published
/// without an outbox, of its kind, lead and instant).
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class WebhookDecisionSink : IDecisionSink
{
    private readonly string _tenant;
    private readonly IWebhookSubscriptionStore _subscriptions;
    private readonly IWebhookDeliveryStore _deliveries;
    private readonly TimeProvider _time;

    /// <summary>Creates the sink of <paramref name="tenant"/>.</summary>
    /// <param name="tenant">The tenant whose subscriptions receive the decisions.</param>
    /// <param name="subscriptions">The subscriptions.</param>
    /// <param name="deliveries">Where deliveries are enqueued.</param>
    /// <param name="time">The clock (<see cref="TimeProvider.System"/> when null).</param>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException">A store is null.</exception>
    public WebhookDecisionSink(string tenant, IWebhookSubscriptionStore subscriptions, IWebhookDeliveryStore deliveries, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(deliveries);
        _tenant = tenant;
        _subscriptions = subscriptions;
        _deliveries = deliveries;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> is null.</exception>
    public async ValueTask PublishAsync(AlignmentDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        string kind = DecisionJson.KindOf(decision);
        var subscriptions = await _subscriptions.ListAsync(_tenant, cancellationToken).ConfigureAwait(false);
        byte[]? body = null;
        string? key = null;
        var now = _time.GetUtcNow();
        foreach (var subscription in subscriptions)
        {
            if (!subscription.Accepts(kind))
            {
                continue;
            }

            body ??= DecisionJson.Serialize(decision);
            key ??= DecisionJson.KeyOf(decision);
            var delivery = new WebhookDelivery(DeliveryId(subscription.Id, key), _tenant, subscription.Id, subscription.Url, kind, body, now)
            {
                NextAttemptAt = now,
            };
            await _deliveries.EnqueueAsync(delivery, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The delivery id of the decision with key <paramref name="decisionKey"/> for subscription <paramref name="subscriptionId"/>: <c>whdl_</c> + 32 hex digits of SHA-256.</summary>
    internal static string DeliveryId(string subscriptionId, string decisionKey)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(subscriptionId + "\n" + decisionKey), hash);
        return "whdl_" + Convert.ToHexStringLower(hash[..16]);
    }
}
