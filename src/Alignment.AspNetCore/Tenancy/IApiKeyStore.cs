namespace Alignment.AspNetCore.Tenancy;

/// <summary>Finds the tenant an API key belongs to, by the key's hash (<see cref="ApiKeys.Hash"/>): keys are stored hashed.</summary>
/// <remarks>Implementations are thread-safe. <see cref="InMemoryApiKeyStore"/> is the default.</remarks>
public interface IApiKeyStore
{
    /// <summary>Finds the tenant of a key.</summary>
    /// <param name="keyHash">The key's hash.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The tenant id, or <see langword="null"/> when no key has this hash (or it was revoked).</returns>
    ValueTask<string?> FindTenantAsync(string keyHash, CancellationToken cancellationToken = default);
}
