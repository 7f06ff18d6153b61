using Alignment.AspNetCore.Tenancy;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures Alignment's HTTP integration: what each tenant runs, and the API keys that bind callers to tenants.</summary>
public sealed class AlignmentHttpBuilder
{
    private readonly AlignmentTenantSetup _setup;
    private readonly InMemoryApiKeyStore _keys;

    internal AlignmentHttpBuilder(IServiceCollection services, AlignmentTenantSetup setup, InMemoryApiKeyStore keys)
    {
        Services = services;
        _setup = setup;
        _keys = keys;
    }

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Adds what every tenant runs: called once per tenant, the first time a request for it arrives, with the tenant's id and
    /// a builder on the tenant's own container (for example <c>a.AddScoring(...).AddHandoff(...).AddNurture(...)</c>, and
    /// <c>a.UsePostgreSqlRoutingState(connection, schema: $"t_{tenant}")</c> to give each tenant its own schema). Every
    /// tenant needs scoring; segmentation, handoff and nurture are optional. Several callbacks run in order.
    /// </summary>
    /// <param name="configure">The callback.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is null.</exception>
    public AlignmentHttpBuilder ConfigureTenants(Action<string, IAlignmentBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _setup.Configure.Add(configure);
        return this;
    }

    /// <summary>
    /// Runs once after a tenant's container is built and before its first request is served (for example to create its
    /// database schema with <c>PostgreSqlAlignmentSchema.MigrateAsync</c>). An exception fails the tenant's start, and the
    /// request gets a 503 naming the tenant; the next request tries again.
    /// </summary>
    /// <param name="started">The callback.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="started"/> is null.</exception>
    public AlignmentHttpBuilder OnTenantStarted(Func<AlignmentTenant, CancellationToken, Task> started)
    {
        ArgumentNullException.ThrowIfNull(started);
        _setup.OnStarted.Add(started);
        return this;
    }

    /// <summary>
    /// Adds an API key for a tenant to the default <see cref="InMemoryApiKeyStore"/> (only its hash is kept). A host with its
    /// own <see cref="IApiKeyStore"/> registered before <c>AddAlignmentHttp</c> adds keys there instead.
    /// </summary>
    /// <param name="tenant">The tenant (see <see cref="TenantIds"/>).</param>
    /// <param name="apiKey">The key (<see cref="ApiKeys.Create"/> makes one).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The tenant id is not valid, or the key is empty or belongs to another tenant.</exception>
    public AlignmentHttpBuilder AddApiKey(string tenant, string apiKey)
    {
        _keys.Add(tenant, apiKey);
        return this;
    }

    /// <summary>Adds an API key for a tenant by its hash (<see cref="ApiKeys.Hash"/>), as kept in configuration.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="keyHash">The key's SHA-256 hash, 64 hex digits.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The tenant id or the hash is not valid, or the hash belongs to another tenant.</exception>
    public AlignmentHttpBuilder AddApiKeyHash(string tenant, string keyHash)
    {
        _keys.AddHash(tenant, keyHash);
        return this;
    }
}
