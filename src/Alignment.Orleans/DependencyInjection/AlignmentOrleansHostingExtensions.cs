using Alignment.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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
    public static ISiloBuilder AddAlignmentOrleans(this ISiloBuilder silo) => AddAlignmentOrleans(silo, static _ => { });

    /// <summary>
    /// Registers Alignment's grains as <see cref="AddAlignmentOrleans(ISiloBuilder)"/> does, and sets how the routing cells keep
    /// their service-level clocks (<see cref="AlignmentOrleansOptions"/>, checked when the silo starts).
    /// </summary>
    /// <param name="silo">The silo builder.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The silo builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="silo"/> or <paramref name="configure"/> is null.</exception>
    /// <remarks>
    /// The clocks survive a lost silo only when the silo has a reminder service (for example <c>UseRedisReminderService</c>);
    /// without one, they run while their cell is active, and the SLA worker's periodic check is the backstop.
    /// </remarks>
    public static ISiloBuilder AddAlignmentOrleans(this ISiloBuilder silo, Action<AlignmentOrleansOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configure);
        silo.Services.AddSerializer(static s => s.AddAssembly(typeof(AlignmentOrleans).Assembly));
        silo.Services.AddOptions<AlignmentOrleansOptions>().Configure(configure).ValidateOnStart();
        silo.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlignmentOrleansOptions>, AlignmentOrleansOptionsValidator>());
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
