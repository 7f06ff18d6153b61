using System.Collections.Concurrent;

namespace Alignment.AspNetCore.Tenancy;

/// <summary>An <see cref="IApiKeyStore"/> in memory, filled at start-up (from configuration, for example) or by the host.</summary>
public sealed class InMemoryApiKeyStore : IApiKeyStore
{
    private readonly ConcurrentDictionary<string, string> _tenantByHash = new(StringComparer.Ordinal);

    /// <summary>Adds a key for a tenant; only its hash is kept.</summary>
    /// <param name="tenant">The tenant (see <see cref="TenantIds.Check"/>).</param>
    /// <param name="apiKey">The key.</param>
    /// <exception cref="ArgumentException">The tenant id is not valid, or the key is empty or already belongs to another tenant.</exception>
    public void Add(string tenant, string apiKey) => AddHash(tenant, ApiKeys.Hash(apiKey));

    /// <summary>Adds a key for a tenant by its hash (<see cref="ApiKeys.Hash"/>), as stored in configuration.</summary>
    /// <param name="tenant">The tenant (see <see cref="TenantIds.Check"/>).</param>
    /// <param name="keyHash">The key's hash: 64 hex digits.</param>
    /// <exception cref="ArgumentException">The tenant id or the hash is not valid, or the hash already belongs to another tenant.</exception>
    public void AddHash(string tenant, string keyHash)
    {
        TenantIds.Check(tenant, nameof(tenant));
        ArgumentNullException.ThrowIfNull(keyHash);
        if (keyHash.Length != 64 || !keyHash.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException("An API key hash is 64 hex digits (SHA-256, see ApiKeys.Hash).", nameof(keyHash));
        }

        string existing = _tenantByHash.GetOrAdd(keyHash.ToLowerInvariant(), tenant);
        if (!string.Equals(existing, tenant, StringComparison.Ordinal))
        {
            throw new ArgumentException($"This API key already belongs to tenant '{existing}'.", nameof(keyHash));
        }
    }

    /// <summary>Revokes a key: requests with it are refused from now on.</summary>
    /// <param name="apiKey">The key.</param>
    /// <returns>Whether the key was known.</returns>
    public bool Revoke(string apiKey) => _tenantByHash.TryRemove(ApiKeys.Hash(apiKey), out _);

    /// <inheritdoc />
    public ValueTask<string?> FindTenantAsync(string keyHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyHash);
        return ValueTask.FromResult(_tenantByHash.TryGetValue(keyHash, out var tenant) ? tenant : null);
    }
}
