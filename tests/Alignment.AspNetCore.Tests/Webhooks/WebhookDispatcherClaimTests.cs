using System.Net;
using Alignment.AspNetCore.Webhooks;
using Alignment.Webhooks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.AspNetCore.Tests.Webhooks;

/// <summary>
/// The dispatcher claims no more than it attempts at once, with a lease longer than an attempt, and records an outcome only while its
/// claim holds the delivery: so a second instance never claims a delivery that is in flight, and a slow instance never overwrites
/// what another one recorded.
/// </summary>
public sealed class WebhookDispatcherClaimTests
{
    private readonly FakeTimeProvider _time = new(WebhookTestKit.Start);

    [Fact]
    public async Task A_cycle_claims_at_most_MaxConcurrency_with_a_lease_of_more_than_two_attempt_timeouts()
    {
        var subscriptions = new InMemoryWebhookSubscriptionStore();
        var inner = new InMemoryWebhookDeliveryStore();
        var deliveries = new RecordingStore(inner);
        for (int i = 0; i < 12; i++)
        {
            var s = WebhookSubscription.Create("acme", new Uri($"https://crm{i}.example/hook"));
            await subscriptions.AddAsync(s);
            await new WebhookDecisionSink("acme", subscriptions, inner, _time).PublishAsync(WebhookTestKit.Routed($"lead-{i}"));
        }

        var options = new WebhookOptions { MaxConcurrency = 3, AttemptTimeout = TimeSpan.FromSeconds(7), AllowPrivateNetworks = true };
        using var handler = new StatusHandler(HttpStatusCode.OK);
        var dispatcher = new WebhookDispatcher(deliveries, subscriptions, new StubHttpClientFactory(handler), Options.Create(options), _time);

        Assert.Equal(3, await dispatcher.RunDueAsync());
        var (max, lease) = Assert.Single(deliveries.Claims);
        Assert.Equal(3, max);
        Assert.True(lease > options.AttemptTimeout * 2, $"lease {lease}");
        Assert.Equal(3, (await inner.ListAsync("acme", WebhookDeliveryStatus.Delivered)).Count);
    }

    [Fact]
    public async Task An_attempt_whose_claim_was_lost_records_nothing_and_leaves_the_other_instances_outcome()
    {
        var subscriptions = new InMemoryWebhookSubscriptionStore();
        var deliveries = new InMemoryWebhookDeliveryStore();
        await subscriptions.AddAsync(WebhookSubscription.Create("acme", new Uri("https://crm.example/hook")));
        await new WebhookDecisionSink("acme", subscriptions, deliveries, _time).PublishAsync(WebhookTestKit.Routed("lead-1"));

        // The slow instance's claim; its lease ends, another instance claims and delivers the same delivery.
        var slow = Assert.Single(await deliveries.ClaimDueAsync(_time.GetUtcNow(), 1, TimeSpan.FromSeconds(1)));
        _time.Advance(TimeSpan.FromSeconds(2));
        using var ok = new StatusHandler(HttpStatusCode.OK);
        var options = Options.Create(new WebhookOptions { AllowPrivateNetworks = true, MaxAttempts = 1 });
        Assert.Equal(1, await new WebhookDispatcher(deliveries, subscriptions, new StubHttpClientFactory(ok), options, _time).RunDueAsync());

        // The slow instance's failed attempt would park it (MaxAttempts 1): its mark is refused and the delivery stays delivered.
        Assert.False(await deliveries.MarkFailedAsync(slow, "HTTP 500", null));
        var d = Assert.Single(await deliveries.ListAsync("acme"));
        Assert.Equal((WebhookDeliveryStatus.Delivered, 1), (d.Status, d.Attempts));
    }

    private sealed class StatusHandler(HttpStatusCode status) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(status));
    }

    private sealed class RecordingStore(IWebhookDeliveryStore inner) : IWebhookDeliveryStore
    {
        public List<(int Max, TimeSpan Lease)> Claims { get; } = [];

        public ValueTask<bool> EnqueueAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default) => inner.EnqueueAsync(delivery, cancellationToken);

        public ValueTask<IReadOnlyList<WebhookDelivery>> ClaimDueAsync(DateTimeOffset now, int max, TimeSpan lease, CancellationToken cancellationToken = default)
        {
            Claims.Add((max, lease));
            return inner.ClaimDueAsync(now, max, lease, cancellationToken);
        }

        public ValueTask<bool> MarkDeliveredAsync(WebhookDelivery claimed, DateTimeOffset at, CancellationToken cancellationToken = default) => inner.MarkDeliveredAsync(claimed, at, cancellationToken);

        public ValueTask<bool> MarkFailedAsync(WebhookDelivery claimed, string reason, DateTimeOffset? retryAt, CancellationToken cancellationToken = default) =>
            inner.MarkFailedAsync(claimed, reason, retryAt, cancellationToken);

        public ValueTask<IReadOnlyList<WebhookDelivery>> ListAsync(string tenant, WebhookDeliveryStatus? status = null, CancellationToken cancellationToken = default) => inner.ListAsync(tenant, status, cancellationToken);

        public ValueTask<bool> ReplayAsync(string tenant, string id, DateTimeOffset now, CancellationToken cancellationToken = default) => inner.ReplayAsync(tenant, id, now, cancellationToken);

        public ValueTask<int> PurgeDeliveredAsync(DateTimeOffset deliveredBefore, int max, CancellationToken cancellationToken = default) => inner.PurgeDeliveredAsync(deliveredBefore, max, cancellationToken);
    }
}
