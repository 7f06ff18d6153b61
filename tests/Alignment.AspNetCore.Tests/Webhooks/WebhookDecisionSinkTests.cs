using Alignment.AspNetCore.Webhooks;
using Alignment.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.AspNetCore.Tests.Webhooks;

public sealed class WebhookDecisionSinkTests
{
    private readonly FakeTimeProvider _time = new(WebhookTestKit.Start);
    private readonly InMemoryWebhookSubscriptionStore _subscriptions = new();
    private readonly InMemoryWebhookDeliveryStore _deliveries = new();

    [Fact]
    public async Task Publishing_the_same_decision_twice_makes_one_delivery_per_subscription()
    {
        var a = WebhookSubscription.Create("acme", new Uri("https://a.example/hook"));
        var b = WebhookSubscription.Create("acme", new Uri("https://b.example/hook"));
        await _subscriptions.AddAsync(a);
        await _subscriptions.AddAsync(b);
        var sink = new WebhookDecisionSink("acme", _subscriptions, _deliveries, _time);

        var decision = WebhookTestKit.Routed("lead-1");
        await sink.PublishAsync(decision);
        _time.Advance(TimeSpan.FromMinutes(1));
        await sink.PublishAsync(decision);
        await sink.PublishAsync(WebhookTestKit.Routed("lead-1")); // equal, another instance

        var all = await _deliveries.ListAsync("acme");
        Assert.Equal(2, all.Count);
        Assert.Equal([a.Id, b.Id], all.Select(d => d.SubscriptionId));
        Assert.NotEqual(all[0].Id, all[1].Id);
    }

    [Fact]
    public async Task An_outbox_decision_is_deduplicated_on_its_idempotency_key()
    {
        await _subscriptions.AddAsync(WebhookSubscription.Create("acme", new Uri("https://a.example/hook")));
        var sink = new WebhookDecisionSink("acme", _subscriptions, _deliveries, _time);
        await sink.PublishAsync(WebhookTestKit.Routed("lead-1") with { IdempotencyKey = "routed:lead-1:3" });
        await sink.PublishAsync(WebhookTestKit.Routed("lead-1") with { IdempotencyKey = "routed:lead-1:3" });
        await sink.PublishAsync(WebhookTestKit.Routed("lead-1") with { IdempotencyKey = "routed:lead-1:4" });
        Assert.Equal(2, (await _deliveries.ListAsync("acme")).Count);
    }

    [Fact]
    public async Task Only_the_sink_tenants_matching_subscriptions_get_deliveries()
    {
        var routedOnly = WebhookSubscription.Create("acme", new Uri("https://a.example/hook"), [WebhookEvents.Routed]);
        var scoredOnly = WebhookSubscription.Create("acme", new Uri("https://b.example/hook"), [WebhookEvents.Scored]);
        var otherTenant = WebhookSubscription.Create("globex", new Uri("https://c.example/hook"));
        foreach (var s in new[] { routedOnly, scoredOnly, otherTenant })
        {
            await _subscriptions.AddAsync(s);
        }

        await new WebhookDecisionSink("acme", _subscriptions, _deliveries, _time).PublishAsync(WebhookTestKit.Routed("lead-1"));

        var delivery = Assert.Single(await _deliveries.ListAsync("acme"));
        Assert.Equal(routedOnly.Id, delivery.SubscriptionId);
        Assert.Equal("routed", delivery.EventKind);
        Assert.Empty(await _deliveries.ListAsync("globex"));
    }
}
