namespace Alignment.Diagnostics;

/// <summary>
/// Tells whether a durable store can serve: reachable, and with its schema at the version the store expects. Store packages
/// register one per backend; the hosting package's health check asks every registered probe.
/// </summary>
/// <remarks>Implementations are thread-safe, answer within the caller's cancellation and never throw for an unhealthy store: they report it.</remarks>
public interface IStoreHealthProbe
{
    /// <summary>The backend's name in reports, for example <c>postgresql</c>.</summary>
    string Name { get; }

    /// <summary>Checks the store.</summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>What was found.</returns>
    ValueTask<StoreHealth> ProbeAsync(CancellationToken cancellationToken = default);
}

/// <summary>The answer of an <see cref="IStoreHealthProbe"/>.</summary>
/// <param name="IsHealthy">Whether the store can serve.</param>
/// <param name="Description">What was found, in one line (never a connection string or a password).</param>
public readonly record struct StoreHealth(bool IsHealthy, string Description);
