using Alignment.Conformance.Webhooks;
using Alignment.Webhooks;

namespace Alignment.Abstractions.Tests.Webhooks;

/// <summary>The webhook store contract against the in-memory stores.</summary>
public sealed class InMemoryWebhookStoreTests : WebhookStoreConformance
{
    protected override Task<(IWebhookSubscriptionStore Subscriptions, IWebhookDeliveryStore Deliveries)> CreateStoresAsync() =>
        Task.FromResult<(IWebhookSubscriptionStore, IWebhookDeliveryStore)>((new InMemoryWebhookSubscriptionStore(), new InMemoryWebhookDeliveryStore()));
}
