using System.Net;
using Alignment.AspNetCore.Tenancy;
using Alignment.Orleans;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using ConfigurationOptions = StackExchange.Redis.ConfigurationOptions;

namespace Alignment.Cli.Commands;

/// <summary><c>alignment serve --orleans</c>: the server as a silo of a cluster that keeps every tenant's routing state.</summary>
internal sealed partial class ServeCommand
{
    /// <summary>
    /// Makes the server a silo of the cluster (membership, grain state and the cells' service-level reminders in Redis, Orleans'
    /// binary grain serializer), and stops
    /// every tenant after Kestrel and before the silo.
    /// </summary>
    private static void JoinCluster(WebApplicationBuilder builder, ServeCluster cluster)
    {
        builder.UseOrleans(silo => silo
            .AddAlignmentOrleans()
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.Id;
                o.ServiceId = cluster.Id;
            })
            .ConfigureEndpoints(cluster.Address, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false)
            .UseRedisClustering(o => o.ConfigurationOptions = cluster.Redis.Clone())
            .AddRedisGrainStorage(AlignmentOrleans.StorageName, o => o.Configure<global::Orleans.Serialization.Serializer>((storage, serializer) =>
            {
                // Orleans' binary serializer for the grains' state, as docs/scale-out.md advises.
                storage.ConfigurationOptions = cluster.Redis.Clone();
                storage.GrainStorageSerializer = new global::Orleans.Storage.OrleansGrainStorageSerializer(serializer);
            }))
            .UseRedisReminderService(o => o.ConfigurationOptions = cluster.Redis.Clone()));

        // Hosted services stop in the reverse order of their registration: Kestrel first, then this (every tenant, whose workers
        // call the cluster), then the silo.
        builder.Services.AddHostedService(static sp => new TenantsStopper(sp.GetRequiredService<AlignmentTenants>()));
    }

    /// <summary>With <c>--orleans</c>: the Redis server of the cluster and where this silo is reached.</summary>
    private sealed record ServeCluster(ConfigurationOptions Redis, string Id, IPAddress Address, int SiloPort, int GatewayPort)
    {
        /// <summary>The grains of the silo, once the application is built; every tenant's routing store calls them.</summary>
        public IGrainFactory? Grains { get; set; }

        public string RedisEndpoints => string.Join(", ", Redis.EndPoints.Select(static e => e.ToString()));
    }

    /// <summary>Stops every tenant when the host stops, before the silo it is registered after.</summary>
    private sealed class TenantsStopper(AlignmentTenants tenants) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => tenants.DisposeAsync().AsTask();
    }

    private static ConfigurationOptions RedisOptions(string configuration)
    {
        // The configuration may hold a password: the messages do not repeat it.
        try
        {
            var options = ConfigurationOptions.Parse(configuration);
            return options.EndPoints.Count == 0
                ? throw new CliInputException("--orleans: the configuration names no Redis server (for example 127.0.0.1:6379).")
                : options;
        }
        catch (ArgumentException e)
        {
            throw new CliInputException($"--orleans: not a Redis configuration: {e.Message}");
        }
    }

    /// <summary>Why an address cannot be a silo's advertised address, or <see langword="null"/> when it can.</summary>
    private static string? SiloAddressProblem(string? text)
    {
        if (text is null || !IPAddress.TryParse(text, out var address) || !(text.Contains('.', StringComparison.Ordinal) || text.Contains(':', StringComparison.Ordinal)))
        {
            return "is not an IP address (for example 10.0.0.5)";
        }

        return address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast) || address.IsIPv6Multicast
            || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && address.GetAddressBytes()[0] is >= 224 and <= 239)
            ? "is not an address other silos can reach this one at; give this machine's own address"
            : null;
    }
}
