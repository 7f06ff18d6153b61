using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using Alignment.AspNetCore.Tenancy;
using Alignment.AspNetCore.Webhooks;
using Alignment.Webhooks;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.AspNetCore.Tests.Webhooks;

public sealed class WebhookEndpointsTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(WebhookTestKit.Start);
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(_time);
        builder.Services.AddAlignmentWebhooks();
        builder.Services.RemoveAll<IHostedService>(); // no background dispatching in these tests
        builder.Services.AddAuthentication(TestTenantHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestTenantHandler>(TestTenantHandler.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddProblemDetails();
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        WebhookEndpoints.MapWebhooks(_app.MapGroup("/v1").RequireAuthorization());
        await _app.StartAsync();
        _client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string tenant, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(TestTenantHandler.Header, tenant);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return _client.SendAsync(request);
    }

    [Fact]
    public async Task Post_registers_a_webhook_and_shows_its_secret_once()
    {
        using var created = await SendAsync(HttpMethod.Post, "/v1/webhooks", "acme", """{"url":"https://crm.example/hook","events":["routed","scored"]}""");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        string id = body.RootElement.GetProperty("id").GetString()!;
        Assert.StartsWith("whsec_", body.RootElement.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.Equal("/v1/webhooks/" + id, created.Headers.Location!.ToString());
        Assert.Equal(["routed", "scored"], body.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetString()));

        using var list = await SendAsync(HttpMethod.Get, "/v1/webhooks", "acme");
        string listed = await list.Content.ReadAsStringAsync();
        Assert.Contains(id, listed, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", listed, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("whsec_", listed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"url":"ftp://crm.example/hook"}""", "$.url")]
    [InlineData("""{"url":"/relative"}""", "$.url")]
    [InlineData("""{}""", "$.url")]
    [InlineData("""{"url":"https://crm.example/","events":["routed","nope"]}""", "$.events[1]")]
    [InlineData("""{"url":42}""", "$.url")]
    [InlineData("""not json""", "$")]
    [InlineData("""{"url":"http://crm.example/hook"}""", "$.url")]
    [InlineData("""{"url":"https://127.0.0.1/hook"}""", "$.url")]
    [InlineData("""{"url":"https://localhost:8443/hook"}""", "$.url")]
    [InlineData("""{"url":"https://api.localhost/hook"}""", "$.url")]
    [InlineData("""{"url":"https://10.1.2.3/hook"}""", "$.url")]
    [InlineData("""{"url":"https://172.20.0.5/hook"}""", "$.url")]
    [InlineData("""{"url":"https://192.168.1.1/hook"}""", "$.url")]
    [InlineData("""{"url":"https://169.254.169.254/latest/meta-data/"}""", "$.url")]
    [InlineData("""{"url":"https://100.64.0.1/hook"}""", "$.url")]
    [InlineData("""{"url":"https://0.0.0.0/hook"}""", "$.url")]
    [InlineData("""{"url":"https://[::1]/hook"}""", "$.url")]
    [InlineData("""{"url":"https://[fd00::1]/hook"}""", "$.url")]
    [InlineData("""{"url":"https://[fe80::1]/hook"}""", "$.url")]
    [InlineData("""{"url":"https://[::ffff:127.0.0.1]/hook"}""", "$.url")]
    [InlineData("""{"url":"https://[::ffff:169.254.169.254]/hook"}""", "$.url")]
    [InlineData("""{"url":"https://224.0.0.1/hook"}""", "$.url")]
    [InlineData("""{"url":"https://2130706433/hook"}""", "$.url")]
    public async Task Post_names_the_bad_field_in_a_validation_problem(string json, string field)
    {
        using var response = await SendAsync(HttpMethod.Post, "/v1/webhooks", "acme", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_tenant_cannot_see_or_delete_another_tenants_webhooks()
    {
        using var created = await SendAsync(HttpMethod.Post, "/v1/webhooks", "acme", """{"url":"https://crm.example/hook"}""");
        string id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        using var otherList = await SendAsync(HttpMethod.Get, "/v1/webhooks", "globex");
        Assert.Equal("[]", await otherList.Content.ReadAsStringAsync());
        using var otherDelete = await SendAsync(HttpMethod.Delete, "/v1/webhooks/" + id, "globex");
        Assert.Equal(HttpStatusCode.NotFound, otherDelete.StatusCode);
        Assert.Equal("application/problem+json", otherDelete.Content.Headers.ContentType!.MediaType);
        using var delete = await SendAsync(HttpMethod.Delete, "/v1/webhooks/" + id, "acme");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var list = await SendAsync(HttpMethod.Get, "/v1/webhooks", "acme");
        Assert.Equal("[]", await list.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Parked_deliveries_are_listed_and_replayed_only_by_their_tenant()
    {
        var subscriptions = _app.Services.GetRequiredService<IWebhookSubscriptionStore>();
        var deliveries = _app.Services.GetRequiredService<IWebhookDeliveryStore>();
        await subscriptions.AddAsync(WebhookSubscription.Create("acme", new Uri("https://crm.example/hook")));
        await new WebhookDecisionSink("acme", subscriptions, deliveries, _time).PublishAsync(WebhookTestKit.Routed("lead-1"));
        var delivery = Assert.Single(await deliveries.ClaimDueAsync(_time.GetUtcNow(), 10, TimeSpan.Zero));
        Assert.True(await deliveries.MarkFailedAsync(delivery, "HTTP 500", null));

        using var parked = await SendAsync(HttpMethod.Get, "/v1/webhooks/deliveries?status=parked", "acme");
        using var parkedJson = JsonDocument.Parse(await parked.Content.ReadAsStringAsync());
        var item = Assert.Single(parkedJson.RootElement.EnumerateArray());
        Assert.Equal(delivery.Id, item.GetProperty("id").GetString());
        Assert.Equal("parked", item.GetProperty("status").GetString());
        Assert.Equal("routed", item.GetProperty("event").GetString());
        Assert.Equal("HTTP 500", item.GetProperty("lastError").GetString());

        using var others = await SendAsync(HttpMethod.Get, "/v1/webhooks/deliveries", "globex");
        Assert.Equal("[]", await others.Content.ReadAsStringAsync());
        using var otherReplay = await SendAsync(HttpMethod.Post, $"/v1/webhooks/deliveries/{delivery.Id}/replay", "globex");
        Assert.Equal(HttpStatusCode.NotFound, otherReplay.StatusCode);
        Assert.Equal(WebhookDeliveryStatus.Parked, (await deliveries.ListAsync("acme")).Single().Status);

        using var replay = await SendAsync(HttpMethod.Post, $"/v1/webhooks/deliveries/{delivery.Id}/replay", "acme");
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        var pending = Assert.Single(await deliveries.ListAsync("acme", WebhookDeliveryStatus.Pending));
        Assert.Equal(0, pending.Attempts);

        using var bad = await SendAsync(HttpMethod.Get, "/v1/webhooks/deliveries?status=lost", "acme");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var missing = await SendAsync(HttpMethod.Post, "/v1/webhooks/deliveries/whdl_nope/replay", "acme");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task AddAlignmentWebhooks_validates_the_options_listing_every_problem()
    {
        var services = new ServiceCollection().AddAlignmentWebhooks(o => { o.MaxAttempts = 0; o.InitialRetryDelay = TimeSpan.FromHours(1); o.PollInterval = TimeSpan.Zero; });
        await using var provider = services.BuildServiceProvider();
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<WebhookOptions>>().Value);
        Assert.Equal(
            ["MaxRetryDelay must be at least InitialRetryDelay (01:00:00)", "MaxAttempts must be between 1 and 100", "PollInterval must be a positive duration"],
            e.Failures.Select(f => f.Replace("Property ", "", StringComparison.Ordinal).Replace(": ", " ", StringComparison.Ordinal)));
    }
}

/// <summary>Authenticates every request as the tenant named in the <c>X-Test-Tenant</c> header.</summary>
internal sealed class TestTenantHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "TestTenant";
    public const string Header = "X-Test-Tenant";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? tenant = Request.Headers[Header];
        if (string.IsNullOrEmpty(tenant))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = new ClaimsIdentity([new Claim(AlignmentClaims.Tenant, tenant)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
