using System.Net;
using System.Net.Sockets;
using Alignment.AspNetCore.Webhooks;
using Alignment.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.AspNetCore.Tests.Webhooks;

/// <summary>
/// Webhooks against server-side request forgery. No test sends anything to a non-loopback address: refused addresses are classified as
/// a unit, and the connection-time check is proved against listeners on loopback (which it must refuse unless private networks are allowed).
/// </summary>
public sealed class WebhookSsrfTests
{
    private readonly FakeTimeProvider _time = new(WebhookTestKit.Start);
    private readonly InMemoryWebhookSubscriptionStore _subscriptions = new();
    private readonly InMemoryWebhookDeliveryStore _deliveries = new();

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("10.0.0.1")]
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fe80::1")]
    [InlineData("febf::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:100.64.0.1")]
    [InlineData("::10.0.0.1")]
    [InlineData("64:ff9b::192.168.0.1")]
    [InlineData("2002:a9fe:a9fe::1")]
    [InlineData("::ffff:0:127.0.0.1")]
    [InlineData("::ffff:0:10.1.2.3")]
    [InlineData("64:ff9b:1::8.8.8.8")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [InlineData("2001:db8::1")]
    [InlineData("100::1")]
    [InlineData("192.0.0.8")]
    [InlineData("192.0.2.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.19.255.255")]
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.9")]
    [InlineData("192.88.99.1")]
    public void Loopback_private_link_local_shared_multicast_and_embedded_forms_are_refused(string address)
    {
        Assert.NotNull(WebhookAddressRules.Refusal(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("9.255.255.255")]
    [InlineData("11.0.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("169.253.255.255")]
    [InlineData("169.255.0.0")]
    [InlineData("192.167.255.255")]
    [InlineData("192.169.0.0")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001::1")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("198.17.255.255")]
    [InlineData("198.20.0.0")]
    [InlineData("192.0.3.1")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    [InlineData("fbff::1")]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.Null(WebhookAddressRules.Refusal(IPAddress.Parse(address)));
    }

    [Fact]
    public void The_metadata_address_is_named()
    {
        Assert.Contains("169.254.169.254", WebhookAddressRules.Refusal(IPAddress.Parse("169.254.169.254")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://127.0.0.1/h", false, false, "loopback")]
    [InlineData("http://crm.example/h", false, false, "https")]
    [InlineData("http://crm.example/h", true, false, null)]
    [InlineData("https://localhost/h", false, false, "localhost")]
    [InlineData("https://localhost./h", false, false, "(localhost)")]
    [InlineData("https://api.localhost./h", false, false, "(localhost)")]
    [InlineData("https://127.0.0.1/h", false, true, null)]
    [InlineData("http://127.0.0.1/h", true, true, null)]
    [InlineData("https://8.8.8.8/h", false, false, null)]
    [InlineData("https://[::ffff:192.168.1.1]/h", false, false, "192.168")]
    public async Task Registration_checks_the_scheme_and_the_host(string url, bool allowHttp, bool allowPrivate, string? refusal)
    {
        string? got = await WebhookAddressRules.CheckUrlAsync(new Uri(url), new WebhookOptions { AllowHttp = allowHttp, AllowPrivateNetworks = allowPrivate }, default);
        if (refusal is null)
        {
            Assert.Null(got);
        }
        else
        {
            Assert.Contains(refusal, got, StringComparison.Ordinal);
        }
    }

    /// <summary>The webhook client as <c>AddAlignmentWebhooks</c> registers it, with the dispatcher over the test's stores.</summary>
    private (ServiceProvider Services, WebhookDispatcher Dispatcher) Registered(Action<WebhookOptions> configure)
    {
        var services = new ServiceCollection().AddAlignmentWebhooks(o =>
        {
            o.MaxAttempts = 2;
            o.AttemptTimeout = TimeSpan.FromSeconds(10);
            configure(o);
        }).BuildServiceProvider();
        var dispatcher = new WebhookDispatcher(
            _deliveries, _subscriptions, services.GetRequiredService<IHttpClientFactory>(), services.GetRequiredService<IOptions<WebhookOptions>>(), _time);
        return (services, dispatcher);
    }

    private async Task PublishToAsync(string url)
    {
        // Added to the store directly, as if registered while allowed (or by a name that resolved elsewhere then): only the connection check stands.
        await _subscriptions.AddAsync(WebhookSubscription.Create("acme", new Uri(url)));
        await new WebhookDecisionSink("acme", _subscriptions, _deliveries, _time).PublishAsync(WebhookTestKit.Routed("lead-1"));
    }

    [Theory]
    [InlineData("https://127.0.0.1:{0}/hook", "127.0.0.1")]
    [InlineData("https://localhost:{0}/hook", "localhost")]
    [InlineData("https://[::ffff:127.0.0.1]:{0}/hook", "127.0.0.1")]
    public async Task A_connection_to_a_refused_address_is_never_made_and_the_attempt_fails_with_the_reason(string template, string named)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await PublishToAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, port));
        var (services, dispatcher) = Registered(_ => { });
        using (services)
        {
            Assert.Equal(1, await dispatcher.RunDueAsync());
        }

        Assert.False(listener.Pending(), "the refused address was connected to");
        var d = Assert.Single(await _deliveries.ListAsync("acme", WebhookDeliveryStatus.Pending));
        Assert.Equal(1, d.Attempts);
        Assert.Contains("refused to connect to", d.LastError, StringComparison.Ordinal);
        Assert.Contains(named, d.LastError, StringComparison.Ordinal);
        Assert.Contains("AllowPrivateNetworks", d.LastError, StringComparison.Ordinal);

        // Retried and then parked like any failed attempt.
        _time.Advance(TimeSpan.FromMinutes(1));
        using (Registered(_ => { }).Services)
        {
            Assert.Equal(1, await Registered(_ => { }).Dispatcher.RunDueAsync());
        }

        Assert.Single(await _deliveries.ListAsync("acme", WebhookDeliveryStatus.Parked));
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task An_http_url_is_refused_at_delivery_without_AllowHttp()
    {
        await PublishToAsync("http://crm.example/hook");
        var (services, dispatcher) = Registered(_ => { });
        using (services)
        {
            Assert.Equal(1, await dispatcher.RunDueAsync());
        }

        var d = Assert.Single(await _deliveries.ListAsync("acme", WebhookDeliveryStatus.Pending));
        Assert.Contains("AllowHttp", d.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_private_networks_allowed_a_loopback_receiver_gets_it_and_a_redirect_is_not_followed()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var receiver = builder.Build();
        int hooks = 0, redirected = 0;
        receiver.MapPost("/hook", () => { Interlocked.Increment(ref hooks); return Results.Ok(); });
        receiver.MapPost("/moved", () => { Interlocked.Increment(ref redirected); return Results.Redirect("/hook", permanent: false, preserveMethod: true); });
        await receiver.StartAsync();
        string root = receiver.Urls.First().TrimEnd('/');

        await PublishToAsync(root + "/hook");
        await _subscriptions.AddAsync(WebhookSubscription.Create("acme", new Uri(root + "/moved")));
        await new WebhookDecisionSink("acme", _subscriptions, _deliveries, _time).PublishAsync(WebhookTestKit.Routed("lead-2"));
        var (services, dispatcher) = Registered(o => { o.AllowHttp = true; o.AllowPrivateNetworks = true; });
        using (services)
        {
            Assert.True(await dispatcher.RunDueAsync() >= 2);
        }

        await receiver.StopAsync();
        Assert.Equal(1, redirected);
        Assert.Equal(1, hooks); // only the direct delivery to /hook: the 307 to /hook was not followed
        var all = await _deliveries.ListAsync("acme");
        Assert.Single(all, d => d.Status == WebhookDeliveryStatus.Delivered && d.Url.AbsolutePath == "/hook");
        var moved = Assert.Single(all, d => d.Url.AbsolutePath == "/moved");
        Assert.Equal(WebhookDeliveryStatus.Pending, moved.Status);
        Assert.Equal("HTTP 307 (redirects are not followed)", moved.LastError);
    }

    [Fact]
    public async Task The_registration_dns_timeout_is_validated_at_start_up()
    {
        using var services = new ServiceCollection().AddAlignmentWebhooks(o => o.RegistrationDnsTimeout = TimeSpan.Zero).BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<WebhookOptions>>().Value);
        Assert.Contains("RegistrationDnsTimeout", e.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }
}
