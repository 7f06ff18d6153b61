using Alignment.AspNetCore.Webhooks;
using Alignment.Webhooks;

namespace Alignment.AspNetCore.Tests.Webhooks;

public sealed class WebhookSubscriptionTests
{
    [Theory]
    [InlineData("ftp://a.example/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("mailto:a@example.com")]
    public void Create_refuses_a_url_that_is_not_http(string url) =>
        Assert.Throws<ArgumentException>(() => WebhookSubscription.Create("acme", new Uri(url)));

    [Fact]
    public void Create_refuses_a_relative_url() =>
        Assert.Throws<ArgumentException>(() => WebhookSubscription.Create("acme", new Uri("/hook", UriKind.Relative)));

    [Fact]
    public void Create_refuses_an_unknown_event_kind() =>
        Assert.Throws<ArgumentException>(() => WebhookSubscription.Create("acme", new Uri("https://a.example/"), ["routed", "nope"]));

    [Fact]
    public void Secrets_are_random_base64url_with_the_prefix_and_never_printed()
    {
        var a = WebhookSubscription.Create("acme", new Uri("https://a.example/"));
        var b = WebhookSubscription.Create("acme", new Uri("https://a.example/"));
        Assert.StartsWith("whsec_", a.Secret, StringComparison.Ordinal);
        Assert.Equal(32, System.Buffers.Text.Base64Url.DecodeFromChars(a.Secret.AsSpan(6)).Length);
        Assert.NotEqual(a.Secret, b.Secret);
        Assert.NotEqual(a.Id, b.Id);
        Assert.DoesNotContain(a.Secret, a.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_never_sees_or_removes_another_tenants_subscriptions()
    {
        var store = new InMemoryWebhookSubscriptionStore();
        var acme = WebhookSubscription.Create("acme", new Uri("https://a.example/"));
        await store.AddAsync(acme);
        await store.AddAsync(WebhookSubscription.Create("globex", new Uri("https://g.example/")));

        Assert.Equal([acme], await store.ListAsync("acme"));
        Assert.Null(await store.FindAsync("globex", acme.Id));
        Assert.False(await store.RemoveAsync("globex", acme.Id));
        Assert.Single(await store.ListAsync("acme"));
        Assert.True(await store.RemoveAsync("acme", acme.Id));
        Assert.Empty(await store.ListAsync("acme"));
        Assert.Single(await store.ListAsync("globex"));
    }
}
