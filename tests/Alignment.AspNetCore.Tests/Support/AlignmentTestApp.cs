using Alignment.AspNetCore;
using Alignment.Cli.Demo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.AspNetCore.Tests.Support;

/// <summary>
/// A host as a CRM integration would write it: the sample company's models for every tenant, two tenants with one API key
/// each, the endpoints and the OpenAPI document; in memory, on the test server.
/// </summary>
public sealed class AlignmentTestApp : WebApplicationFactory<AlignmentTestApp>
{
    public const string KeyA = "alg_test-key-of-tenant-a-0000000000000000000000";
    public const string KeyB = "alg_test-key-of-tenant-b-0000000000000000000000";

    /// <summary>Monday 2 March 2026, 09:00 in New York: every rep is at work.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 2, 14, 0, 0, TimeSpan.Zero));

    public Action<AlignmentHttpOptions>? Options { get; init; }

    public Action<IServiceCollection>? ExtraServices { get; init; }

    public Action<IApplicationBuilder>? Pipeline { get; init; }

    /// <summary>More services of each tenant, registered after the sample company's models (so they replace defaults).</summary>
    public Action<string, IAlignmentBuilder>? TenantServices { get; init; }

    protected override IHostBuilder CreateHostBuilder() =>
        Host.CreateDefaultBuilder()
            .ConfigureWebHost(web => web
                .UseContentRoot(AppContext.BaseDirectory)
                .ConfigureServices(services =>
                {
                    services.AddSingleton<TimeProvider>(Time);
                    services.AddRouting();
                    services.AddOpenApi();
                    // The test receivers are Kestrel on loopback over http: allowed here, refused by default.
                    services.AddAlignmentWebhooks(static o => { o.AllowHttp = true; o.AllowPrivateNetworks = true; });
                    services.AddAlignmentHttp(Options)
                        .ConfigureTenants((tenant, a) =>
                        {
                            a
                            .AddScoring(o => o.ModelJson = DemoModels.ScoringModelText)
                            .AddSegmentation(o => o.ModelJson = DemoModels.SegmentationModelText)
                            .AddHandoff(o =>
                            {
                                o.PolicyJson = DemoModels.RoutingPolicyText;
                                o.RosterJson = DemoModels.RosterText;
                            })
                            .AddNurture(o => o.PolicyJson = DemoModels.NurturePolicyText);
                            TenantServices?.Invoke(tenant, a); // after the models: its registrations replace the defaults
                        })
                        .AddApiKey("tenant-a", KeyA)
                        .AddApiKey("tenant-b", KeyB);
                    ExtraServices?.Invoke(services);
                })
                .Configure(app =>
                {
                    app.UseRouting();
                    app.UseAuthentication();
                    app.UseAuthorization();
                    app.UseRateLimiter();
                    Pipeline?.Invoke(app);
                    app.UseEndpoints(endpoints =>
                    {
                        endpoints.MapAlignment();
                        endpoints.MapOpenApi();
                    });
                }));

    // A library has no content root of its own: the test's output folder serves (the default guess is the solution folder).
    protected override void ConfigureWebHost(IWebHostBuilder builder) => builder.UseContentRoot(AppContext.BaseDirectory);

    public HttpClient ClientFor(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }
}
