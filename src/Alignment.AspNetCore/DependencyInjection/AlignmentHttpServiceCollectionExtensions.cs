using System.Globalization;
using System.Threading.RateLimiting;
using Alignment.AspNetCore;
using Alignment.AspNetCore.Tenancy;
using Alignment.AspNetCore.Wire;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Alignment's HTTP integration.</summary>
public static class AlignmentHttpServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <c>MapAlignment</c> needs: the tenants (<see cref="AlignmentTenants"/>), API-key authentication
    /// (<see cref="AlignmentHttpDefaults.ApiKeyScheme"/>, keys stored hashed in an <see cref="IApiKeyStore"/>), the
    /// authorization policy binding each caller to one tenant, a token-bucket rate limit per tenant (429 with
    /// <c>Retry-After</c>), problem details, and the JSON metadata of every body. The host's pipeline needs
    /// <c>app.UseRateLimiter()</c> (after authentication) for the rate limit to apply. Options are validated at start-up.
    /// Calling it again adds options and returns a builder on the same tenants and keys.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options, or <see langword="null"/> for the defaults.</param>
    /// <returns>A builder to configure the tenants and add API keys with.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static AlignmentHttpBuilder AddAlignmentHttp(this IServiceCollection services, Action<AlignmentHttpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<AlignmentHttpOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlignmentHttpOptions>, AlignmentHttpOptionsValidator>());

        // A second call adds options and returns a builder on the same tenants; the rest is registered once.
        if (services.FirstOrDefault(d => d.ServiceType == typeof(AlignmentTenantSetup))?.ImplementationInstance is AlignmentTenantSetup existing
            && services.FirstOrDefault(d => d.ServiceType == typeof(InMemoryApiKeyStore))?.ImplementationInstance is InMemoryApiKeyStore existingKeys)
        {
            return new AlignmentHttpBuilder(services, existing, existingKeys);
        }

        var setup = new AlignmentTenantSetup();
        services.AddSingleton(setup);
        var keys = new InMemoryApiKeyStore();
        services.AddSingleton(keys);

        services.TryAddSingleton<IApiKeyStore>(keys);
        services.TryAddSingleton(static sp => new AlignmentTenants(sp.GetRequiredService<AlignmentTenantSetup>(), sp));
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(static o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, AlignmentHttpJsonContext.Default));

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AlignmentHttpDefaults.ApiKeyScheme, null);

        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<AlignmentHttpOptions>>(static (authorization, http) =>
            authorization.AddPolicy(AlignmentHttpDefaults.AuthorizationPolicy, policy => policy
                .AddAuthenticationSchemes([.. http.Value.AuthenticationSchemes])
                .RequireAuthenticatedUser()
                .RequireClaim(AlignmentClaims.Tenant)));

        services.AddRateLimiter(static limiter =>
        {
            limiter.AddPolicy(AlignmentHttpDefaults.RateLimiterPolicy, static context =>
            {
                var http = context.RequestServices.GetRequiredService<IOptions<AlignmentHttpOptions>>().Value;
                string partition = context.User.FindFirst(AlignmentClaims.Tenant)?.Value ?? string.Empty;
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = http.RateLimitPermits,
                    TokensPerPeriod = http.RateLimitPermits,
                    ReplenishmentPeriod = http.RateLimitWindow,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = static async (context, cancellationToken) =>
            {
                var http = context.HttpContext.RequestServices.GetRequiredService<IOptions<AlignmentHttpOptions>>().Value;
                TimeSpan retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan after) ? after : http.RateLimitWindow;
                var response = context.HttpContext.Response;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    detail: $"This tenant made more than {http.RateLimitPermits} requests in {http.RateLimitWindow.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; retry after the time in Retry-After.",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(context.HttpContext).ConfigureAwait(false);
            };
        });

        return new AlignmentHttpBuilder(services, setup, keys);
    }
}
