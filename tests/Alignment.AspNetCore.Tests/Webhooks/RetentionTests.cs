using System.Net;
using System.Text;
using Alignment.AspNetCore.Tests.Support;
using Alignment.AspNetCore.Webhooks;
using Alignment.Leads;
using Alignment.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.AspNetCore.Tests.Webhooks;

/// <summary>The retention passes: delivered webhook deliveries and ingest receipts older than their retention are removed, boundedly.</summary>
public sealed class RetentionTests
{
    private static readonly DateTimeOffset T0 = WebhookTestKit.Start;

    private static async Task<InMemoryWebhookDeliveryStore> DeliveredAsync(int old, int recent)
    {
        var store = new InMemoryWebhookDeliveryStore();
        for (int i = 0; i < old + recent; i++)
        {
            var d = new WebhookDelivery($"d{i}", "acme", $"s{i}", new Uri("https://crm.example/h"), "routed", Encoding.UTF8.GetBytes("{}"), T0) { NextAttemptAt = T0 };
            await store.EnqueueAsync(d);
            var claimed = Assert.Single(await store.ClaimDueAsync(T0, 1, TimeSpan.FromMinutes(1)));
            Assert.True(await store.MarkDeliveredAsync(claimed, i < old ? T0.AddDays(-8) : T0.AddDays(-1)));
        }

        await store.EnqueueAsync(new WebhookDelivery("pending", "acme", "s-p", new Uri("https://crm.example/h"), "routed", Encoding.UTF8.GetBytes("{}"), T0.AddDays(-30)));
        return store;
    }

    [Fact]
    public async Task A_pass_removes_delivered_deliveries_older_than_the_retention_batch_by_batch()
    {
        var store = await DeliveredAsync(old: 25, recent: 3);
        using var worker = new RetentionWorker("deliveries", store.PurgeDeliveredAsync, TimeSpan.FromDays(7), TimeSpan.FromHours(1), 10, new FakeTimeProvider(T0));
        Assert.Equal(25, await worker.RunPassAsync(default));
        var left = await store.ListAsync("acme");
        Assert.Equal(4, left.Count);
        Assert.Contains(left, d => d.Id == "pending");
        Assert.Equal(0, await worker.RunPassAsync(default));
    }

    [Fact]
    public async Task A_pass_is_bounded_to_ten_batches()
    {
        var store = await DeliveredAsync(old: 30, recent: 0);
        using var worker = new RetentionWorker("deliveries", store.PurgeDeliveredAsync, TimeSpan.FromDays(7), TimeSpan.FromHours(1), 2, new FakeTimeProvider(T0));
        Assert.Equal(RetentionWorker.MaxBatchesPerPass * 2, await worker.RunPassAsync(default));
        Assert.Equal(10, await worker.RunPassAsync(default));
    }

    [Fact]
    public async Task AddAlignmentWebhooks_runs_the_delivery_retention_with_its_options()
    {
        var time = new FakeTimeProvider(T0);
        var services = new ServiceCollection().AddSingleton<TimeProvider>(time).AddSingleton<IWebhookDeliveryStore>(await DeliveredAsync(old: 3, recent: 1))
            .AddAlignmentWebhooks(o => o.DeliveredRetention = TimeSpan.FromDays(2));
        await using var provider = services.BuildServiceProvider();
        var worker = Assert.Single(provider.GetServices<IHostedService>().OfType<WebhookRetentionWorker>());
        Assert.Equal(3, await worker.Inner.RunPassAsync(default));
        Assert.Equal(2, (await provider.GetRequiredService<IWebhookDeliveryStore>().ListAsync("acme")).Count);
    }

    [Fact]
    public void Retention_options_are_validated_at_start_up()
    {
        using var webhooks = new ServiceCollection()
            .AddAlignmentWebhooks(o => { o.DeliveredRetention = TimeSpan.FromSeconds(1); o.RetentionInterval = TimeSpan.Zero; o.RetentionBatchSize = 0; })
            .BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => webhooks.GetRequiredService<IOptions<WebhookOptions>>().Value);
        Assert.Contains("DeliveredRetention", e.Message, StringComparison.Ordinal);
        Assert.Contains("RetentionInterval", e.Message, StringComparison.Ordinal);
        Assert.Contains("RetentionBatchSize", e.Message, StringComparison.Ordinal);

        var http = new AlignmentHttpOptionsValidator().Validate(null, new AlignmentHttpOptions
        {
            ReceiptRetention = TimeSpan.FromMinutes(1), RetentionInterval = TimeSpan.FromDays(2), RetentionBatchSize = 0,
            IdempotencyKeyHold = TimeSpan.Zero, IdempotencyWait = TimeSpan.FromMinutes(2),
        });
        Assert.True(http.Failed);
        foreach (string name in new[] { "ReceiptRetention", "RetentionInterval", "RetentionBatchSize", "IdempotencyKeyHold", "IdempotencyWait" })
        {
            Assert.Contains(name, http.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_tenants_old_receipts_are_removed_and_their_key_is_then_decided_again()
    {
        await using var app = new AlignmentTestApp { Options = o => { o.ReceiptRetention = TimeSpan.FromHours(1); o.RetentionInterval = TimeSpan.FromMinutes(5); } };
        using var client = app.ClientFor(AlignmentTestApp.KeyA);
        string body = TestLeads.Hot("L-R", app.Time.GetUtcNow());
        using (var first = await Send(client, body))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var tenant = await app.Services.GetRequiredService<Alignment.AspNetCore.Tenancy.AlignmentTenants>().GetAsync("tenant-a");
        var documents = tenant.Services.GetRequiredService<ILeadDocumentStore>();
        Assert.NotNull(await documents.FindReceiptAsync("r-1"));
        using (var replay = await Send(client, body))
        {
            Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        }

        // Two hours later, the next pass removes it.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await documents.FindReceiptAsync("r-1") is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the receipt was not removed");
            app.Time.Advance(TimeSpan.FromMinutes(30));
            await Task.Delay(50);
        }

        using var again = await Send(client, body);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False(again.Headers.Contains("Idempotent-Replayed"));

        static Task<HttpResponseMessage> Send(HttpClient client, string body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/leads") { Content = TestLeads.Json(body) };
            request.Headers.Add("Idempotency-Key", "r-1");
            return client.SendAsync(request);
        }
    }
}
