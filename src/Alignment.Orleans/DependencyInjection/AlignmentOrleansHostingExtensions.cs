using Alignment.Orleans;
using Orleans.Serialization;

namespace Orleans.Hosting;

/// <summary>Registers Alignment's grains with a silo, and their interfaces with a cluster client.</summary>
public static class AlignmentOrleansHostingExtensions
{
    /// <summary>
    /// Registers Alignment's grains (routing cells, leads, the directory) and their serializers with the silo. Orleans finds the
    /// grains of an assembly the host's own project references through Orleans' code generator (the Microsoft.Orleans.Sdk
    /// package); a host that does not use the generator, or that references Alignment.Orleans only through another package,
    /// must call this, or the first routing call fails with Orleans' "No active nodes are compatible with grain routingdirectory" (or another of
    /// Alignment's grains). Calling
    /// it in any host is harmless.
    /// </summary>
    /// <param name="silo">The silo builder.</param>
    /// <returns>The silo builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="silo"/> is null.</exception>
    /// <remarks>The silo still needs a grain storage provider named <see cref="AlignmentOrleans.StorageName"/>.</remarks>
    public static ISiloBuilder AddAlignmentOrleans(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddSerializer(static s => s.AddAssembly(typeof(AlignmentOrleans).Assembly));
        return silo;
    }

    /// <summary>
    /// Registers the interfaces of Alignment's grains and their serializers with a cluster client, for a host that routes through
    /// the cluster without being a silo (see <see cref="AddAlignmentOrleans(ISiloBuilder)"/> for when it is needed).
    /// </summary>
    /// <param name="client">The client builder.</param>
    /// <returns>The client builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is null.</exception>
    public static IClientBuilder AddAlignmentOrleans(this IClientBuilder client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.Services.AddSerializer(static s => s.AddAssembly(typeof(AlignmentOrleans).Assembly));
        return client;
    }
}
