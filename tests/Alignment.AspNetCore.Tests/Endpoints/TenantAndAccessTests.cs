using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Alignment.AspNetCore.Tenancy;
using Alignment.AspNetCore.Tests.Support;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Alignment.AspNetCore.Tests.Endpoints;

public sealed class TenantAndAccessTests
{
    public static TheoryData<string, string> Endpoints => new()
    {
        { "POST", "/v1/leads" },
        { "GET", "/v1/leads/L-1" },
        { "POST", "/v1/leads/L-1/first-touch" },
        { "POST", "/v1/leads/L-1/accept" },
        { "POST", "/v1/leads/L-1/reject" },
        { "GET", "/v1/reps/us-ae-avery/handoffs" },
        { "POST", "/v1/campaigns/webinar/invite" },
        { "POST", "/v1/campaigns/webinar/register" },
        { "POST", "/v1/campaigns/webinar/attend" },
        { "POST", "/v1/campaigns/webinar/close" },
        { "GET", "/v1/metrics" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Every_endpoint_refuses_a_request_without_a_key_or_with_a_wrong_one(string method, string path)
    {
        await using var app = new AlignmentTestApp();
        using var anonymous = app.CreateClient();
        using var wrong = app.ClientFor("alg_not-a-key-anyone-was-given");

        using var none = await anonymous.SendAsync(Request(method, path));
        using var bad = await wrong.SendAsync(Request(method, path));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
    }

    [Fact]
    public async Task A_key_in_the_authorization_header_works_and_a_revoked_key_stops_working()
    {
        await using var app = new AlignmentTestApp();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", AlignmentTestApp.KeyA);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/metrics")).StatusCode);
        Assert.True(app.Services.GetRequiredService<InMemoryApiKeyStore>().Revoke(AlignmentTestApp.KeyA));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/metrics")).StatusCode);
    }

    [Fact]
    public async Task Tenant_B_never_sees_tenant_As_lead_through_any_endpoint()
    {
        await using var app = new AlignmentTestApp();
        using var a = app.ClientFor(AlignmentTestApp.KeyA);
        using var b = app.ClientFor(AlignmentTestApp.KeyB);
        var decision = await (await a.PostJsonAsync("/v1/leads", TestLeads.Hot("L-1", app.Time.GetUtcNow()))).ReadJsonAsync();
        string rep = (string)decision["handoff"]!["rep"]!;

        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync("/v1/leads/L-1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostJsonAsync("/v1/leads/L-1/first-touch", new { rep })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostJsonAsync("/v1/leads/L-1/accept", new { rep })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostJsonAsync("/v1/leads/L-1/reject", new { rep, reason = "notAFit" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.PostJsonAsync("/v1/campaigns/webinar/invite", new { leadId = "L-1" })).StatusCode);
        Assert.Equal("[]", await b.GetStringAsync($"/v1/reps/{rep}/handoffs"));
        var metricsB = await (await b.GetAsync("/v1/metrics")).ReadJsonAsync();
        Assert.Equal(0, (int?)metricsB["leads"]);

        // The same CRM id in tenant B is another lead: A's is untouched.
        var bDecision = await (await b.PostJsonAsync("/v1/leads", TestLeads.Cold("L-1", app.Time.GetUtcNow()))).ReadJsonAsync();
        Assert.True((bool?)bDecision["created"]);
        var aLead = await (await a.GetAsync("/v1/leads/L-1")).ReadJsonAsync();
        Assert.Equal(rep, (string?)aLead["owner"]);
        Assert.Equal(2, (int?)aLead["activities"]);
        Assert.Single(await (await a.GetAsync($"/v1/reps/{rep}/handoffs")).ReadJsonAsync() is { } list ? list.AsArray() : []);
        Assert.Equal(1, (int?)(await (await a.GetAsync("/v1/metrics")).ReadJsonAsync())["leads"]);
    }

    [Fact]
    public async Task A_JWT_bearer_token_with_a_tenant_claim_is_bound_to_that_tenant_and_one_without_is_forbidden()
    {
        var signingKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("a-test-signing-key-of-at-least-32-bytes!!"));
        await using var app = new AlignmentTestApp
        {
            Options = o => o.AuthenticationSchemes.Add(JwtBearerDefaults.AuthenticationScheme),
            ExtraServices = services => services.AddAuthentication().AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = "crm", ValidAudience = "alignment", IssuerSigningKey = signingKey,
                };
            }),
        };
        using var withTenant = Bearer(app, Token(signingKey, new Claim(AlignmentClaims.Tenant, "tenant-a")));
        using var withoutTenant = Bearer(app, Token(signingKey, new Claim("sub", "someone")));
        using var viaKey = app.ClientFor(AlignmentTestApp.KeyA);
        await viaKey.PostJsonAsync("/v1/leads", TestLeads.Cold("L-1", app.Time.GetUtcNow()));

        Assert.Equal(HttpStatusCode.OK, (await withTenant.GetAsync("/v1/leads/L-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await withoutTenant.GetAsync("/v1/leads/L-1")).StatusCode);

        static string Token(SecurityKey key, Claim claim) => new JwtSecurityTokenHandler().WriteToken(new JwtSecurityToken(
            "crm", "alignment", [claim], expires: DateTime.UtcNow.AddMinutes(5), signingCredentials: new SigningCredentials(key, SecurityAlgorithms.HmacSha256)));

        static HttpClient Bearer(AlignmentTestApp app, string token)
        {
            var client = app.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }
    }

    [Fact]
    public async Task A_tenant_over_its_rate_limit_gets_429_with_Retry_After_and_other_tenants_do_not()
    {
        await using var app = new AlignmentTestApp { Options = o => { o.RateLimitPermits = 3; o.RateLimitWindow = TimeSpan.FromMinutes(2); } };
        using var a = app.ClientFor(AlignmentTestApp.KeyA);
        using var b = app.ClientFor(AlignmentTestApp.KeyB);

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/v1/metrics")).StatusCode);
        }

        using var refused = await a.GetAsync("/v1/metrics");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 120);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("/v1/metrics")).StatusCode);
    }

    [Fact]
    public async Task A_tenant_whose_configuration_fails_gets_503_naming_it_and_the_next_request_tries_again()
    {
        int calls = 0;
        await using var app = new AlignmentTestApp
        {
            ExtraServices = services => services.AddAlignmentHttp().OnTenantStarted((tenant, _) =>
                Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("the schema could not be created") : Task.CompletedTask),
        };
        using var client = app.ClientFor(AlignmentTestApp.KeyA);

        using var first = await client.GetAsync("/v1/metrics");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        string detail = (string)(await first.ReadJsonAsync())["detail"]!;
        Assert.Equal("Tenant 'tenant-a' could not start; the service's log says why. The next request tries again.", detail);
        Assert.DoesNotContain("schema", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/metrics")).StatusCode);
    }

    [Fact]
    public async Task Invalid_options_stop_the_host_at_start_naming_every_one()
    {
        await using var app = new AlignmentTestApp { Options = o => { o.MaxRequestBodyBytes = 10; o.RateLimitPermits = 0; } };

        var ex = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var message = ex is Microsoft.Extensions.Options.OptionsValidationException ? ex.Message : ex.InnerException?.Message ?? ex.Message;
        Assert.Contains("MaxRequestBodyBytes", message, StringComparison.Ordinal);
        Assert.Contains("RateLimitPermits", message, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path) { Content = method == "POST" ? TestLeads.Json("{}") : null };
}
