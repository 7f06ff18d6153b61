using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Alignment.AspNetCore.Tests.Support;
using Alignment.AspNetCore.Webhooks;
using Alignment.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Alignment.AspNetCore.Tests.Endpoints;

public sealed class WebhookFlowTests
{
    [Fact]
    public async Task Every_decision_of_an_ingest_reaches_the_tenants_receiver_signed_and_no_other_tenants()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var app = new AlignmentTestApp();
        using var a = app.ClientFor(AlignmentTestApp.KeyA);
        using var b = app.ClientFor(AlignmentTestApp.KeyB);
        var created = await (await a.PostJsonAsync("/v1/webhooks", new { url = receiver.Url + "a" })).ReadJsonAsync();
        string secret = (string)created["secret"]!;
        await b.PostJsonAsync("/v1/webhooks", new { url = receiver.Url + "b" });

        var decision = await (await a.PostJsonAsync("/v1/leads", TestLeads.Hot("L-1", app.Time.GetUtcNow()))).ReadJsonAsync();
        var cold = await (await a.PostJsonAsync("/v1/leads", TestLeads.Cold("L-2", app.Time.GetUtcNow()))).ReadJsonAsync();
        Assert.NotNull(decision["handoff"]);
        Assert.NotNull(cold["nurture"]);

        var dispatcher = app.Services.GetRequiredService<WebhookDispatcher>();
        for (int round = 0; round < 20; round++)
        {
            if (await dispatcher.RunDueAsync(CancellationToken.None) == 0)
            {
                break;
            }
        }

        var received = receiver.Received.ToList();
        Assert.All(received, r => Assert.Equal("/a", r.Path));
        Assert.All(received, r => Assert.True(WebhookSignature.Verify(secret, r.Signature, r.Body, app.Time.GetUtcNow(), TimeSpan.FromMinutes(5)), $"bad signature on {r.Event}"));
        Assert.Equal(received.Count, received.Select(r => r.DeliveryId).Distinct().Count());
        var events = received.Select(r => $"{r.Event} {LeadOf(r.Body)}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                "enrolled L-2", "routed L-1", "scored L-1", "scored L-2", "segmented L-1", "segmented L-2", "stage-changed L-1", "stage-changed L-2",
            ],
            events);
    }

    private static string LeadOf(byte[] body) =>
        (string)System.Text.Json.Nodes.JsonNode.Parse(body)!["leadId"]!;

    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Receiver(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public ConcurrentQueue<(string Path, string Event, string DeliveryId, string Signature, byte[] Body)> Received { get; } = new();

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            Receiver? self = null;
            app.MapPost("/{name}", async (string name, HttpRequest request) =>
            {
                using var buffer = new MemoryStream();
                await request.Body.CopyToAsync(buffer);
                self!.Received.Enqueue(("/" + name, request.Headers[WebhookSignature.EventHeader].ToString(), request.Headers[WebhookSignature.DeliveryHeader].ToString(),
                    request.Headers[WebhookSignature.SignatureHeader].ToString(), buffer.ToArray()));
                return Results.Ok();
            });
            await app.StartAsync();
            self = new Receiver(app, app.Urls.First().TrimEnd('/') + "/");
            return self;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
