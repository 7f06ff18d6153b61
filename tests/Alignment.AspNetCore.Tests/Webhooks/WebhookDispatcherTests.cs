using System.Net;
using Alignment.AspNetCore.Webhooks;
using Alignment.Webhooks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.AspNetCore.Tests.Webhooks;

public sealed class WebhookDispatcherTests
{
    private readonly FakeTimeProvider _time = new(WebhookTestKit.Start);
    private readonly InMemoryWebhookSubscriptionStore _subscriptions = new();
    private readonly InMemoryWebhookDeliveryStore _deliveries = new();
    private readonly WebhookOptions _options = new() { InitialRetryDelay = TimeSpan.FromSeconds(1), MaxRetryDelay = TimeSpan.FromSeconds(3), MaxAttempts = 4 };

    private WebhookDispatcher Dispatcher(HttpMessageHandler handler) =>
        new(_deliveries, _subscriptions, new StubHttpClientFactory(handler), Options.Create(_options), _time);

    private async Task<WebhookSubscription> SubscribeAndPublishAsync(params string[] leads)
    {
        var subscription = WebhookSubscription.Create("acme", new Uri("https://crm.example/hook"));
        await _subscriptions.AddAsync(subscription);
        var sink = new WebhookDecisionSink("acme", _subscriptions, _deliveries, _time);
        foreach (string lead in leads)
        {
            await sink.PublishAsync(WebhookTestKit.Routed(lead));
        }

        return subscription;
    }

    [Fact]
    public void RetryDelay_doubles_from_the_initial_delay_up_to_the_maximum()
    {
        var defaults = new WebhookOptions();
        Assert.Equal(
            [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 600, 600],
            Enumerable.Range(1, 12).Select(n => defaults.RetryDelay(n).TotalSeconds));
        Assert.Equal(defaults.MaxRetryDelay, defaults.RetryDelay(1000));
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_with_backoff_and_the_delivery_parked_after_MaxAttempts()
    {
        var handler = RecordingHandler.Status(_ => HttpStatusCode.InternalServerError);
        var dispatcher = Dispatcher(handler);
        await SubscribeAndPublishAsync("lead-1");

        var retryTimes = new List<DateTimeOffset>();
        Assert.Equal(1, await dispatcher.RunDueAsync());
        for (int i = 0; i < 10; i++)
        {
            var d = Assert.Single(await _deliveries.ListAsync("acme"));
            if (d.Status == WebhookDeliveryStatus.Parked)
            {
                break;
            }

            retryTimes.Add(d.NextAttemptAt);
            Assert.Equal(0, await dispatcher.RunDueAsync()); // not due yet
            _time.SetUtcNow(d.NextAttemptAt);
            Assert.Equal(1, await dispatcher.RunDueAsync());
        }

        // Delays 1 s, 2 s, then capped at 3 s; the fourth failure parks it.
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(6)], retryTimes.Select(t => t - WebhookTestKit.Start));
        var parked = Assert.Single(await _deliveries.ListAsync("acme", WebhookDeliveryStatus.Parked));
        Assert.Equal(4, parked.Attempts);
        Assert.Equal("HTTP 500", parked.LastError);
        Assert.Equal(4, handler.Requests.Count);
        Assert.Single(handler.Requests.Select(r => r.DeliveryId).Distinct());

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await dispatcher.RunDueAsync());
        Assert.Equal(4, handler.Requests.Count);
    }

    [Fact]
    public async Task A_delivery_succeeds_after_failures_and_a_parked_one_is_delivered_after_a_replay_with_the_same_id()
    {
        int failUntil = 2;
        var handler = RecordingHandler.Status(n => n <= failUntil ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.NoContent);
        var dispatcher = Dispatcher(handler);
        await SubscribeAndPublishAsync("lead-1");

        for (int i = 0; i < 5 && (await _deliveries.ListAsync("acme", WebhookDeliveryStatus.Pending)).Count > 0; i++)
        {
            await dispatcher.RunDueAsync();
            _time.Advance(TimeSpan.FromSeconds(3));
        }

        var delivered = Assert.Single(await _deliveries.ListAsync("acme", WebhookDeliveryStatus.Delivered));
        Assert.Equal(3, delivered.Attempts);
        Assert.NotNull(delivered.DeliveredAt);

        // Now fail it to parking, then replay.
        failUntil = int.MaxValue;
        Assert.True(await _deliveries.ReplayAsync("acme", delivered.Id, _time.GetUtcNow()));
        for (int i = 0; i < 10 && (await _deliveries.ListAsync("acme", WebhookDeliveryStatus.Pending)).Count > 0; i++)
        {
            await dispatcher.RunDueAsync();
            _time.Advance(TimeSpan.FromSeconds(3));
        }

        var parked = Assert.Single(await _deliveries.ListAsync("acme", WebhookDeliveryStatus.Parked));
        Assert.False(await _deliveries.ReplayAsync("globex", parked.Id, _time.GetUtcNow()));
        Assert.Empty(await _deliveries.ListAsync("acme", WebhookDeliveryStatus.Pending));

        failUntil = 0;
        Assert.True(await _deliveries.ReplayAsync("acme", parked.Id, _time.GetUtcNow()));
        var pending = Assert.Single(await _deliveries.ListAsync("acme", WebhookDeliveryStatus.Pending));
        Assert.Equal(0, pending.Attempts);
        Assert.Equal(1, await dispatcher.RunDueAsync());
        Assert.Equal(WebhookDeliveryStatus.Delivered, Assert.Single(await _deliveries.ListAsync("acme")).Status);
        Assert.Single(handler.Requests.Select(r => r.DeliveryId).Distinct());
    }

    [Fact]
    public async Task A_later_delivery_never_overtakes_an_earlier_pending_one_of_the_same_subscription()
    {
        var handler = RecordingHandler.Status(n => n <= 2 ? HttpStatusCode.BadGateway : HttpStatusCode.OK);
        var dispatcher = Dispatcher(handler);
        await SubscribeAndPublishAsync("lead-1", "lead-2", "lead-3");
        var ids = (await _deliveries.ListAsync("acme")).Select(d => d.Id).ToList();

        for (int i = 0; i < 20 && (await _deliveries.ListAsync("acme", WebhookDeliveryStatus.Pending)).Count > 0; i++)
        {
            await dispatcher.RunDueAsync();
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal([ids[0], ids[0], ids[0], ids[1], ids[2]], handler.Requests.Select(r => r.DeliveryId));
    }

    [Fact]
    public async Task Each_request_is_signed_with_the_subscription_secret_and_carries_the_headers()
    {
        var handler = RecordingHandler.Status(_ => HttpStatusCode.OK);
        var subscription = await SubscribeAndPublishAsync("lead-1");
        await Dispatcher(handler).RunDueAsync();

        var request = Assert.Single(handler.Requests);
        Assert.True(WebhookSignature.Verify(subscription.Secret, request.Signature, request.Body, _time.GetUtcNow(), TimeSpan.FromMinutes(5)));
        Assert.Equal("routed", request.Event);
        Assert.Equal((await _deliveries.ListAsync("acme"))[0].Id, request.DeliveryId);
    }

    [Fact]
    public async Task An_attempt_without_an_answer_within_AttemptTimeout_fails_and_is_retried()
    {
        _options.AttemptTimeout = TimeSpan.FromSeconds(10);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new RecordingHandler(async (_, _, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(30), ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        await SubscribeAndPublishAsync("lead-1");

        var run = Dispatcher(handler).RunDueAsync();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(1, await run.WaitAsync(TimeSpan.FromSeconds(10)));

        var d = Assert.Single(await _deliveries.ListAsync("acme", WebhookDeliveryStatus.Pending));
        Assert.Equal(1, d.Attempts);
        Assert.Contains("no answer within", d.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_counts_as_a_failed_attempt()
    {
        _options.AllowHttp = true;
        var subscription = WebhookSubscription.Create("acme", new Uri("http://127.0.0.1:9/hook"));
        await _subscriptions.AddAsync(subscription);
        await new WebhookDecisionSink("acme", _subscriptions, _deliveries, _time).PublishAsync(WebhookTestKit.Routed("lead-1"));
        using var handler = new SocketsHttpHandler();
        Assert.Equal(1, await Dispatcher(handler).RunDueAsync());
        var d = Assert.Single(await _deliveries.ListAsync("acme", WebhookDeliveryStatus.Pending));
        Assert.Equal(1, d.Attempts);
        Assert.NotNull(d.LastError);
    }
}
