using System.Text;
using Alignment.Webhooks;

namespace Alignment.Conformance.Webhooks;

/// <summary>
/// The <see cref="IWebhookSubscriptionStore"/> and <see cref="IWebhookDeliveryStore"/> contracts, written once: tenants kept apart,
/// idempotent enqueueing, one claim per subscription in order, leases, retries, parking, replay, exact round trips and the purge of
/// old delivered deliveries. Every backend's test project derives one class from it and says how to make empty stores.
/// </summary>
public abstract class WebhookStoreConformance
{
    // A non-UTC offset and sub-microsecond ticks: a store keeps the instant and its offset exactly.
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(5.5)).AddTicks(1_234_567);

    /// <summary>Makes a new, empty pair of stores (their own schema or instance): no two tests share one.</summary>
    protected abstract Task<(IWebhookSubscriptionStore Subscriptions, IWebhookDeliveryStore Deliveries)> CreateStoresAsync();

    private static WebhookDelivery Delivery(string id, string subscription = "whsub_1", string tenant = "acme", int minute = 0) =>
        new(id, tenant, subscription, new Uri("https://crm.example/hook?x=1"), "routed", Encoding.UTF8.GetBytes($$"""{"id":"{{id}}","é":1}"""), T0.AddMinutes(minute))
        {
            NextAttemptAt = T0.AddMinutes(minute),
        };

    [Fact]
    public async Task Subscriptions_are_kept_per_tenant_in_order_with_their_events_and_secret()
    {
        var (subscriptions, _) = await CreateStoresAsync();
        var a1 = WebhookSubscription.Create("acme", new Uri("https://crm.example/a1"), ["routed", "scored"]);
        var a2 = WebhookSubscription.Create("acme", new Uri("https://crm.example/a2"));
        var b1 = WebhookSubscription.Create("beta", new Uri("https://beta.example/b1"));
        await subscriptions.AddAsync(a1);
        await subscriptions.AddAsync(a2);
        await subscriptions.AddAsync(b1);

        var listed = await subscriptions.ListAsync("acme");
        Assert.Equal([a1.Id, a2.Id], listed.Select(s => s.Id));
        Assert.Equal(a1.Secret, listed[0].Secret);
        Assert.Equal(a1.Url, listed[0].Url);
        Assert.Equal(["routed", "scored"], listed[0].Events.ToArray());
        Assert.Empty(listed[1].Events.ToArray());
        Assert.Empty(await subscriptions.ListAsync("nobody"));

        Assert.Equal(a2.Id, (await subscriptions.FindAsync("acme", a2.Id))?.Id);
        Assert.Null(await subscriptions.FindAsync("beta", a2.Id));
        Assert.False(await subscriptions.RemoveAsync("beta", a1.Id));
        Assert.True(await subscriptions.RemoveAsync("acme", a1.Id));
        Assert.False(await subscriptions.RemoveAsync("acme", a1.Id));
        Assert.Equal([a2.Id], (await subscriptions.ListAsync("acme")).Select(s => s.Id));
        Assert.Equal([b1.Id], (await subscriptions.ListAsync("beta")).Select(s => s.Id));
    }

    [Fact]
    public async Task A_subscription_id_is_added_once_and_a_bad_url_is_refused()
    {
        var (subscriptions, _) = await CreateStoresAsync();
        var s = WebhookSubscription.Create("acme", new Uri("https://crm.example/a"));
        await subscriptions.AddAsync(s);
        await Assert.ThrowsAsync<ArgumentException>(async () => await subscriptions.AddAsync(s));
        await Assert.ThrowsAsync<ArgumentException>(async () => await subscriptions.AddAsync(s with { Id = "whsub_x", Url = new Uri("ftp://crm.example/") }));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await subscriptions.AddAsync(null!));
        Assert.Single(await subscriptions.ListAsync("acme"));
    }

    [Fact]
    public async Task Enqueueing_is_idempotent_by_id_and_a_delivery_round_trips_exactly()
    {
        var (_, deliveries) = await CreateStoresAsync();
        var d = Delivery("d1");
        Assert.True(await deliveries.EnqueueAsync(d));
        Assert.False(await deliveries.EnqueueAsync(d with { EventKind = "scored" }));

        var stored = Assert.Single(await deliveries.ListAsync("acme"));
        Assert.Equal((d.Id, d.Tenant, d.SubscriptionId, d.Url, d.EventKind), (stored.Id, stored.Tenant, stored.SubscriptionId, stored.Url, stored.EventKind));
        Assert.Equal(d.Body.ToArray(), stored.Body.ToArray());
        Assert.True(stored.CreatedAt.EqualsExact(d.CreatedAt), $"{stored.CreatedAt:O} != {d.CreatedAt:O}");
        Assert.True(stored.NextAttemptAt.EqualsExact(d.NextAttemptAt));
        Assert.Equal((WebhookDeliveryStatus.Pending, 0, (string?)null, (DateTimeOffset?)null), (stored.Status, stored.Attempts, stored.LastError, stored.DeliveredAt));
        Assert.Empty(await deliveries.ListAsync("beta"));
    }

    [Fact]
    public async Task A_claim_takes_each_subscriptions_oldest_due_delivery_and_leases_it()
    {
        var (_, deliveries) = await CreateStoresAsync();
        await deliveries.EnqueueAsync(Delivery("a1", "s-a"));
        await deliveries.EnqueueAsync(Delivery("b1", "s-b", minute: 1));
        await deliveries.EnqueueAsync(Delivery("a2", "s-a", minute: 2));
        await deliveries.EnqueueAsync(Delivery("c1", "s-c", minute: 60)); // not due yet

        var claimed = await deliveries.ClaimDueAsync(T0.AddMinutes(5), 10, TimeSpan.FromMinutes(1));
        Assert.Equal(["a1", "b1"], claimed.Select(d => d.Id));

        // Leased: nothing is due again until the lease ends, and a2 waits behind a1.
        Assert.Empty(await deliveries.ClaimDueAsync(T0.AddMinutes(5.5), 10, TimeSpan.FromMinutes(1)));
        Assert.Equal(["a1", "b1"], (await deliveries.ClaimDueAsync(T0.AddMinutes(6.5), 10, TimeSpan.FromMinutes(1))).Select(d => d.Id));

        // max bounds the claim.
        Assert.Single(await deliveries.ClaimDueAsync(T0.AddMinutes(70), 1, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Delivered_retried_and_parked_deliveries_move_the_queue_on_as_the_contract_says()
    {
        var (_, deliveries) = await CreateStoresAsync();
        await deliveries.EnqueueAsync(Delivery("a1", "s-a"));
        await deliveries.EnqueueAsync(Delivery("a2", "s-a", minute: 1));
        await deliveries.EnqueueAsync(Delivery("a3", "s-a", minute: 2));
        var now = T0.AddMinutes(10);

        var first = Assert.Single(await deliveries.ClaimDueAsync(now, 10, TimeSpan.FromMinutes(1)));
        Assert.Equal("a1", first.Id);
        Assert.True(await deliveries.MarkFailedAsync(first, "HTTP 500", now.AddSeconds(30)));
        Assert.Empty(await deliveries.ClaimDueAsync(now.AddSeconds(10), 10, TimeSpan.FromMinutes(1))); // a1 not due, a2 waits
        var retried = Assert.Single(await deliveries.ClaimDueAsync(now.AddSeconds(31), 10, TimeSpan.FromMinutes(1)));
        Assert.Equal(("a1", 1, "HTTP 500"), (retried.Id, retried.Attempts, retried.LastError));

        Assert.True(await deliveries.MarkFailedAsync(retried, "HTTP 503", null)); // parked: no longer holds a2 back
        var parked = Assert.Single(await deliveries.ListAsync("acme", WebhookDeliveryStatus.Parked));
        Assert.Equal(("a1", 2, "HTTP 503"), (parked.Id, parked.Attempts, parked.LastError));

        var a2 = Assert.Single(await deliveries.ClaimDueAsync(now.AddMinutes(1), 10, TimeSpan.FromMinutes(1)));
        Assert.Equal("a2", a2.Id);
        var at = now.AddMinutes(1).AddTicks(7);
        Assert.True(await deliveries.MarkDeliveredAsync(a2, at));
        Assert.True(await deliveries.MarkDeliveredAsync(a2, at)); // the same mark repeated (a retry after a lost reply)
        var delivered = Assert.Single(await deliveries.ListAsync("acme", WebhookDeliveryStatus.Delivered));
        Assert.Equal(("a2", 1, (string?)null), (delivered.Id, delivered.Attempts, delivered.LastError));
        Assert.True(delivered.DeliveredAt!.Value.EqualsExact(at));

        // A replayed parked delivery goes before the later pending one again, with 0 attempts.
        Assert.True(await deliveries.ReplayAsync("acme", "a1", now.AddMinutes(2)));
        var replayed = (await deliveries.ListAsync("acme", WebhookDeliveryStatus.Pending)).Single(d => d.Id == "a1");
        Assert.Equal(0, replayed.Attempts);
        Assert.Equal("a1", Assert.Single(await deliveries.ClaimDueAsync(now.AddMinutes(2), 10, TimeSpan.FromMinutes(1))).Id);
        Assert.Equal(["a1", "a2", "a3"], (await deliveries.ListAsync("acme")).Select(d => d.Id));
    }

    [Fact]
    public async Task Replay_knows_only_the_tenants_own_deliveries_and_resends_a_delivered_one()
    {
        var (_, deliveries) = await CreateStoresAsync();
        await deliveries.EnqueueAsync(Delivery("a1"));
        Assert.True(await deliveries.MarkDeliveredAsync(await ClaimAsync(deliveries, "a1", T0), T0.AddMinutes(1)));

        Assert.False(await deliveries.ReplayAsync("beta", "a1", T0.AddMinutes(2)));
        Assert.False(await deliveries.ReplayAsync("acme", "nope", T0.AddMinutes(2)));
        Assert.True(await deliveries.ReplayAsync("acme", "a1", T0.AddMinutes(2)));
        Assert.True(await deliveries.ReplayAsync("acme", "a1", T0.AddMinutes(3))); // already pending: still true, unchanged
        var d = Assert.Single(await deliveries.ListAsync("acme"));
        Assert.Equal((WebhookDeliveryStatus.Pending, 0, (DateTimeOffset?)null), (d.Status, d.Attempts, d.DeliveredAt));
        Assert.Equal("a1", Assert.Single(await deliveries.ClaimDueAsync(T0.AddMinutes(2), 10, TimeSpan.FromMinutes(1))).Id);
    }

    [Fact]
    public async Task The_purge_removes_only_delivered_deliveries_older_than_the_cutoff_oldest_first_and_bounded()
    {
        var (_, deliveries) = await CreateStoresAsync();
        for (int i = 0; i < 5; i++)
        {
            await deliveries.EnqueueAsync(Delivery($"old{i}", $"s{i}"));
            Assert.True(await deliveries.MarkDeliveredAsync(await ClaimAsync(deliveries, $"old{i}", T0.AddHours(i)), T0.AddDays(-10).AddMinutes(i)));
        }

        await deliveries.EnqueueAsync(Delivery("recent", "s-r"));
        Assert.True(await deliveries.MarkDeliveredAsync(await ClaimAsync(deliveries, "recent", T0.AddHours(6)), T0));
        await deliveries.EnqueueAsync(Delivery("pending", "s-p", minute: -60 * 24 * 30));
        await deliveries.EnqueueAsync(Delivery("parked", "s-k", minute: -60 * 24 * 30));
        Assert.True(await deliveries.MarkFailedAsync(await ClaimAsync(deliveries, "parked", T0.AddHours(7)), "HTTP 500", null));

        Assert.Equal(3, await deliveries.PurgeDeliveredAsync(T0.AddDays(-1), 3));
        Assert.Equal(["old3", "old4", "recent", "pending", "parked"], (await deliveries.ListAsync("acme")).Select(d => d.Id));
        Assert.Equal(2, await deliveries.PurgeDeliveredAsync(T0.AddDays(-1), 3));
        Assert.Equal(0, await deliveries.PurgeDeliveredAsync(T0.AddDays(-1), 3));
        Assert.Equal(["recent", "pending", "parked"], (await deliveries.ListAsync("acme")).Select(d => d.Id));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await deliveries.PurgeDeliveredAsync(T0, 0));
    }

    [Fact]
    public async Task Concurrent_claims_never_hand_out_one_delivery_twice()
    {
        var (_, deliveries) = await CreateStoresAsync();
        for (int i = 0; i < 40; i++)
        {
            await deliveries.EnqueueAsync(Delivery($"d{i}", $"s{i % 20}", minute: i));
        }

        var now = T0.AddHours(2);
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await deliveries.ClaimDueAsync(now, 5, TimeSpan.FromMinutes(1)))));
        var ids = claims.SelectMany(c => c).Select(d => d.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(20, ids.Count); // one per subscription: the 20 heads
        Assert.All(ids, id => Assert.True(int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture) < 20, id));
    }

    [Fact]
    public async Task A_mark_by_a_claim_whose_lease_ended_and_was_claimed_again_changes_nothing()
    {
        var (_, deliveries) = await CreateStoresAsync();
        await deliveries.EnqueueAsync(Delivery("a1"));
        var slow = Assert.Single(await deliveries.ClaimDueAsync(T0.AddMinutes(1), 10, TimeSpan.FromMinutes(1)));
        var other = Assert.Single(await deliveries.ClaimDueAsync(T0.AddMinutes(3), 10, TimeSpan.FromMinutes(1))); // slow's lease ended
        Assert.NotNull(slow.LeaseUntil);
        Assert.NotEqual(slow.LeaseUntil, other.LeaseUntil);

        // The other instance delivers it; the slow one's failure must neither park nor reschedule a delivered delivery.
        Assert.True(await deliveries.MarkDeliveredAsync(other, T0.AddMinutes(3.5)));
        Assert.False(await deliveries.MarkFailedAsync(slow, "no answer", null));
        Assert.False(await deliveries.MarkFailedAsync(slow, "no answer", T0.AddMinutes(10)));
        Assert.False(await deliveries.MarkDeliveredAsync(slow, T0.AddMinutes(4)));
        var d = Assert.Single(await deliveries.ListAsync("acme"));
        Assert.Equal((WebhookDeliveryStatus.Delivered, 1, (string?)null), (d.Status, d.Attempts, d.LastError));
        Assert.True(d.DeliveredAt!.Value.EqualsExact(T0.AddMinutes(3.5)));
    }

    [Fact]
    public async Task A_mark_by_a_lost_claim_of_a_still_pending_delivery_changes_nothing_and_the_new_claim_still_holds_it()
    {
        var (_, deliveries) = await CreateStoresAsync();
        await deliveries.EnqueueAsync(Delivery("a1"));
        var slow = Assert.Single(await deliveries.ClaimDueAsync(T0.AddMinutes(1), 10, TimeSpan.FromMinutes(1)));
        var other = Assert.Single(await deliveries.ClaimDueAsync(T0.AddMinutes(3), 10, TimeSpan.FromMinutes(1)));

        Assert.False(await deliveries.MarkFailedAsync(slow, "HTTP 500", T0.AddMinutes(4)));
        Assert.False(await deliveries.MarkDeliveredAsync(slow, T0.AddMinutes(3.2)));
        var d = Assert.Single(await deliveries.ListAsync("acme"));
        Assert.Equal((WebhookDeliveryStatus.Pending, 0), (d.Status, d.Attempts));
        Assert.True(await deliveries.MarkFailedAsync(other, "HTTP 502", T0.AddMinutes(5)));
        Assert.False(await deliveries.MarkFailedAsync(other, "HTTP 502", T0.AddMinutes(5))); // that attempt is counted once
        Assert.Equal(1, Assert.Single(await deliveries.ListAsync("acme")).Attempts);

        // A claim of a delivery parked and replayed since it was claimed no longer holds it.
        var third = Assert.Single(await deliveries.ClaimDueAsync(T0.AddMinutes(6), 10, TimeSpan.FromMinutes(1)));
        Assert.True(await deliveries.MarkFailedAsync(third, "HTTP 503", null)); // parked
        Assert.True(await deliveries.ReplayAsync("acme", "a1", T0.AddMinutes(8)));
        Assert.False(await deliveries.MarkDeliveredAsync(third, T0.AddMinutes(8.5)));
        Assert.Equal((WebhookDeliveryStatus.Pending, 0), Assert.Single(await deliveries.ListAsync("acme")) is var r ? (r.Status, r.Attempts) : default);
    }

    [Fact]
    public async Task Marking_a_delivery_that_was_not_claimed_is_refused_naming_it()
    {
        var (_, deliveries) = await CreateStoresAsync();
        await deliveries.EnqueueAsync(Delivery("a1"));
        var listed = Assert.Single(await deliveries.ListAsync("acme"));
        var e = await Assert.ThrowsAsync<ArgumentException>(async () => await deliveries.MarkDeliveredAsync(listed, T0));
        Assert.Contains("'a1'", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(async () => await deliveries.MarkFailedAsync(listed, "x", null));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await deliveries.MarkDeliveredAsync(null!, T0));
    }

    /// <summary>Claims every due delivery at <paramref name="now"/> (leases of one second) and returns the one with <paramref name="id"/>.</summary>
    private static async Task<WebhookDelivery> ClaimAsync(IWebhookDeliveryStore deliveries, string id, DateTimeOffset now)
    {
        var claimed = await deliveries.ClaimDueAsync(now, 1000, TimeSpan.FromSeconds(1));
        return claimed.SingleOrDefault(d => d.Id == id) ?? throw new Xunit.Sdk.XunitException($"{id} was not claimed at {now:O}");
    }
}
