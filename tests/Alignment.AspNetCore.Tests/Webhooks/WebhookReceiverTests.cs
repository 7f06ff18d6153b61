using System.Collections.Concurrent;
using System.Net;
using Alignment.AspNetCore.Webhooks;
using Alignment.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.AspNetCore.Tests.Webhooks;

/// <summary>Deliveries to a real receiver: Kestrel on loopback, verifying every signature as the docs tell a receiver to.</summary>
public sealed class WebhookReceiverTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(WebhookTestKit.Start);
    private readonly ConcurrentDictionary<string, string> _secrets = new();
    private readonly ConcurrentQueue<(string Hook, string DeliveryId, bool Valid, int Status)> _received = new();
    private readonly ConcurrentDictionary<string, int> _seen = new();
    private WebApplication _app = null!;
    private Uri _base = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/hooks/{name}", async (string name, HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            string id = request.Headers["Alignment-Delivery"].ToString();
            bool valid = _secrets.TryGetValue(name, out var secret)
                && WebhookSignature.Verify(secret, request.Headers["Alignment-Signature"], buffer.ToArray(), _time.GetUtcNow(), TimeSpan.FromMinutes(5));

            // The first request for each delivery id fails, so every delivery is retried once.
            int status = !valid ? 401 : _seen.AddOrUpdate(name + "/" + id, 1, (_, n) => n + 1) == 1 ? 503 : 200;
            _received.Enqueue((name, id, valid, status));
            return Results.StatusCode(status);
        });
        await _app.StartAsync();
        _base = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Every_decision_arrives_once_per_subscription_signed_and_a_redelivery_has_the_same_id()
    {
        var subscriptions = new InMemoryWebhookSubscriptionStore();
        var deliveries = new InMemoryWebhookDeliveryStore();
        var hooks = new List<WebhookSubscription>();
        foreach (string name in new[] { "one", "two" })
        {
            var s = WebhookSubscription.Create("acme", new Uri(_base, "/hooks/" + name));
            _secrets[name] = s.Secret;
            await subscriptions.AddAsync(s);
            hooks.Add(s);
        }

        await subscriptions.AddAsync(WebhookSubscription.Create("globex", new Uri(_base, "/hooks/globex")));
        var sink = new WebhookDecisionSink("acme", subscriptions, deliveries, _time);
        var decisions = WebhookTestKit.OneOfEachKind();
        foreach (var decision in decisions)
        {
            await sink.PublishAsync(decision);
            await sink.PublishAsync(decision); // a relay retry
        }

        using var handler = new SocketsHttpHandler();
        var dispatcher = new WebhookDispatcher(deliveries, subscriptions, new StubHttpClientFactory(handler), Options.Create(new WebhookOptions { AllowHttp = true, AllowPrivateNetworks = true }), _time);
        for (int i = 0; i < 200 && (await deliveries.ListAsync("acme", WebhookDeliveryStatus.Pending)).Count > 0; i++)
        {
            await dispatcher.RunDueAsync().WaitAsync(TimeSpan.FromSeconds(30));
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        var all = await deliveries.ListAsync("acme");
        Assert.Equal(decisions.Count * 2, all.Count);
        Assert.All(all, d => Assert.Equal(WebhookDeliveryStatus.Delivered, d.Status));
        Assert.All(_received, r => Assert.True(r.Valid));
        Assert.DoesNotContain(_received, r => r.Hook == "globex");
        foreach (var hook in new[] { "one", "two" })
        {
            var accepted = _received.Where(r => r.Hook == hook && r.Status == 200).Select(r => r.DeliveryId).ToList();
            Assert.Equal(decisions.Count, accepted.Count);
            Assert.Equal(decisions.Count, accepted.Distinct().Count());

            // Each id was seen twice: the 503 and the retry, with the same id.
            var attempts = _received.Where(r => r.Hook == hook).GroupBy(r => r.DeliveryId).ToList();
            Assert.All(attempts, g => Assert.Equal([503, 200], g.Select(r => r.Status)));
        }

        // A replay of a delivered one reaches the receiver with the same id, so it can drop it as a duplicate.
        var first = all[0];
        Assert.True(await deliveries.ReplayAsync("acme", first.Id, _time.GetUtcNow()));
        Assert.Equal(1, await dispatcher.RunDueAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(3, _received.Count(r => r.DeliveryId == first.Id));
        Assert.Equal(WebhookDeliveryStatus.Delivered, (await deliveries.ListAsync("acme")).Single(d => d.Id == first.Id).Status);
    }
}
