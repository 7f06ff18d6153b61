using System.Text;
using Alignment.Conformance.Webhooks;
using Alignment.Storage.PostgreSql.Webhooks;
using Alignment.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests.Webhooks;

/// <summary>The PostgreSQL webhook stores against the contract (tests/Alignment.Conformance), each test in a new schema.</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlWebhookStoreConformanceTests(PostgreSqlFixture db) : WebhookStoreConformance
{
    protected override async Task<(IWebhookSubscriptionStore Subscriptions, IWebhookDeliveryStore Deliveries)> CreateStoresAsync()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var subscriptions = new PostgreSqlWebhookSubscriptionStore(db.DataSource, schema);
        var deliveries = new PostgreSqlWebhookDeliveryStore(db.DataSource, schema);
        await subscriptions.MigrateAsync();
        await deliveries.MigrateAsync(); // idempotent
        return (subscriptions, deliveries);
    }
}

/// <summary>What only the PostgreSQL webhook stores do: survive a restart, and share deliveries between instances safely.</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlWebhookStoreTests(PostgreSqlFixture db)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static WebhookDelivery Delivery(string id, string subscription, int minute = 0) =>
        new(id, "acme", subscription, new Uri("https://crm.example/hook"), "routed", Encoding.UTF8.GetBytes("{}"), T0.AddMinutes(minute)) { NextAttemptAt = T0.AddMinutes(minute) };

    [Fact]
    public async Task A_restart_keeps_the_subscriptions_and_the_undelivered_deliveries()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var subscription = WebhookSubscription.Create("acme", new Uri("https://crm.example/hook"), ["routed"]);
        await using (var first = NpgsqlDataSource.Create(db.ConnectionString))
        {
            var subscriptions = new PostgreSqlWebhookSubscriptionStore(first, schema);
            var deliveries = new PostgreSqlWebhookDeliveryStore(first, schema);
            await subscriptions.MigrateAsync();
            await subscriptions.AddAsync(subscription);
            await deliveries.EnqueueAsync(Delivery("d1", subscription.Id));
            await deliveries.EnqueueAsync(Delivery("d2", subscription.Id, 1));
            await deliveries.EnqueueAsync(Delivery("d3", subscription.Id, 2));
            var claimed1 = Assert.Single(await deliveries.ClaimDueAsync(T0.AddMinutes(5), 10, TimeSpan.FromMinutes(1)));
            Assert.Equal("d1", claimed1.Id);
            Assert.True(await deliveries.MarkDeliveredAsync(claimed1, T0.AddMinutes(5)));
            var claimed2 = Assert.Single(await deliveries.ClaimDueAsync(T0.AddMinutes(5), 10, TimeSpan.FromMinutes(1)));
            Assert.Equal("d2", claimed2.Id);
            Assert.True(await deliveries.MarkFailedAsync(claimed2, "HTTP 502", T0.AddMinutes(6)));
        }

        // A new process: new data source, new stores.
        await using var second = NpgsqlDataSource.Create(db.ConnectionString);
        var again = new PostgreSqlWebhookSubscriptionStore(second, schema);
        var found = await again.FindAsync("acme", subscription.Id);
        Assert.NotNull(found);
        Assert.Equal((subscription.Url, subscription.Secret), (found.Url, found.Secret));
        Assert.Equal(["routed"], found.Events.ToArray());

        var queue = new PostgreSqlWebhookDeliveryStore(second, schema);
        Assert.Equal(["d2", "d3"], (await queue.ListAsync("acme", WebhookDeliveryStatus.Pending)).Select(d => d.Id));
        var d2 = Assert.Single(await queue.ClaimDueAsync(T0.AddMinutes(6), 10, TimeSpan.FromMinutes(1)));
        Assert.Equal(("d2", 1, "HTTP 502"), (d2.Id, d2.Attempts, d2.LastError));
    }

    [Fact]
    public async Task The_list_is_kept_for_its_cache_duration_and_a_change_through_the_same_instance_is_seen_at_once()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var here = new PostgreSqlWebhookSubscriptionStore(db.DataSource, schema) { ListCacheDuration = TimeSpan.FromMinutes(1) };
        var elsewhere = new PostgreSqlWebhookSubscriptionStore(db.DataSource, schema); // another instance of the host
        await here.MigrateAsync();
        var first = WebhookSubscription.Create("acme", new Uri("https://crm.example/one"));
        await here.AddAsync(first);
        Assert.Equal([first.Id], (await here.ListAsync("acme")).Select(s => s.Id));

        // Added through another instance: not seen here while the kept list is younger than the duration.
        var second = WebhookSubscription.Create("acme", new Uri("https://crm.example/two"));
        await elsewhere.AddAsync(second);
        Assert.Equal([first.Id], (await here.ListAsync("acme")).Select(s => s.Id));

        // Removed and added through this instance: seen at once.
        Assert.True(await here.RemoveAsync("acme", first.Id));
        Assert.Equal([second.Id], (await here.ListAsync("acme")).Select(s => s.Id));
        var third = WebhookSubscription.Create("acme", new Uri("https://crm.example/three"));
        await here.AddAsync(third);
        Assert.Equal([second.Id, third.Id], (await here.ListAsync("acme")).Select(s => s.Id));

        // A short duration: another instance's change is seen once the kept list is older than it.
        var brief = new PostgreSqlWebhookSubscriptionStore(db.DataSource, schema) { ListCacheDuration = TimeSpan.FromMilliseconds(200) };
        Assert.Equal(2, (await brief.ListAsync("acme")).Count);
        Assert.True(await elsewhere.RemoveAsync("acme", third.Id));
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await brief.ListAsync("acme")).Count != 1)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the list was not read again after its cache duration");
            await Task.Delay(50);
        }

        // Without a cache, another instance's change is seen at once; the duration is checked.
        var uncached = new PostgreSqlWebhookSubscriptionStore(db.DataSource, schema) { ListCacheDuration = TimeSpan.Zero };
        Assert.Equal([second.Id], (await uncached.ListAsync("acme")).Select(s => s.Id));
        await elsewhere.AddAsync(third);
        Assert.Equal([second.Id, third.Id], (await uncached.ListAsync("acme")).Select(s => s.Id));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PostgreSqlWebhookSubscriptionStore(db.DataSource, schema) { ListCacheDuration = TimeSpan.FromSeconds(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new PostgreSqlWebhookSubscriptionStore(db.DataSource, schema) { ListCacheDuration = TimeSpan.FromMinutes(2) });
    }

    [Fact]
    public async Task Two_instances_claiming_at_once_never_take_the_same_delivery_nor_two_of_one_subscription()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await using var a = NpgsqlDataSource.Create(db.ConnectionString);
        await using var b = NpgsqlDataSource.Create(db.ConnectionString);
        var storeA = new PostgreSqlWebhookDeliveryStore(a, schema);
        var storeB = new PostgreSqlWebhookDeliveryStore(b, schema);
        await storeA.MigrateAsync();
        for (int i = 0; i < 200; i++)
        {
            await storeA.EnqueueAsync(Delivery($"d{i:D3}", $"s{i % 50}", i % 7));
        }

        var now = T0.AddHours(1);
        var seen = new List<WebhookDelivery>();
        for (int round = 0; round < 10; round++)
        {
            var claims = await Task.WhenAll(
                Enumerable.Range(0, 6).Select(i => Task.Run(async () => await (i % 2 == 0 ? storeA : storeB).ClaimDueAsync(now, 7, TimeSpan.FromHours(1)))));
            var batch = claims.SelectMany(c => c).ToList();
            Assert.Equal(batch.Count, batch.Select(d => d.Id).Distinct().Count());
            Assert.Equal(batch.Count, batch.Select(d => d.SubscriptionId).Distinct().Count()); // one in flight per subscription
            foreach (var d in batch)
            {
                Assert.True(await (seen.Count % 2 == 0 ? storeA : storeB).MarkDeliveredAsync(d, now));
            }

            seen.AddRange(batch);
        }

        Assert.Equal(seen.Count, seen.Select(d => d.Id).Distinct().Count());
        // Per subscription, deliveries were claimed in their order.
        foreach (var group in seen.GroupBy(d => d.SubscriptionId))
        {
            var ids = group.Select(d => d.Id).ToList();
            Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        }
    }

    [Fact]
    public async Task UsePostgreSqlWebhookStores_replaces_the_in_memory_stores_before_or_after_AddAlignmentWebhooks_style_defaults()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IWebhookDeliveryStore, InMemoryWebhookDeliveryStore>();
        services.UsePostgreSqlWebhookStores(db.ConnectionString, "hooks");
        await using var provider = services.BuildServiceProvider();
        Assert.IsType<PostgreSqlWebhookDeliveryStore>(provider.GetRequiredService<IWebhookDeliveryStore>());
        Assert.IsType<PostgreSqlWebhookSubscriptionStore>(provider.GetRequiredService<IWebhookSubscriptionStore>());
        Assert.Throws<ArgumentException>(() => new ServiceCollection().UsePostgreSqlWebhookStores(db.ConnectionString, "Bad-Schema"));
    }
}
