using System.Globalization;
using System.Net;
using Alignment.Orleans;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using StackExchange.Redis;

// One silo of an Alignment routing cluster on loopback, its membership and grain state in Redis:
//   Alignment.Orleans.SiloHost --redis CONFIG --cluster ID --service ID --silo-port N --gateway-port N
// Prints "ready <silo address>" on its standard output once it has joined the cluster, and runs until it is stopped
// (SIGTERM, or its standard input closing: a graceful shutdown) or killed. Membership is tuned for a fault test: a silo that stops answering is declared
// dead after about 3 seconds instead of Orleans' default of about 30.
var options = SiloArgs.Parse(args);
var redis = ConfigurationOptions.Parse(options.Redis);
var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
builder.UseOrleans(silo => silo
    .Configure<ClusterOptions>(o =>
    {
        o.ClusterId = options.Cluster;
        o.ServiceId = options.Service;
    })
    .ConfigureEndpoints(IPAddress.Loopback, options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false)
    .Configure<ClusterMembershipOptions>(o =>
    {
        o.ProbeTimeout = TimeSpan.FromSeconds(1);
        o.NumMissedProbesLimit = 2;
        o.NumVotesForDeathDeclaration = 1;
        o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
    })
    .UseRedisClustering(o => o.ConfigurationOptions = redis.Clone())
    .AddRedisGrainStorage(AlignmentOrleans.StorageName, o => o.Configure<Orleans.Serialization.Serializer>((storage, serializer) =>
    {
        // Orleans' binary serializer for the grains' state, as docs/scale-out.md advises (smaller and faster than JSON).
        storage.ConfigurationOptions = redis.Clone();
        storage.GrainStorageSerializer = new Orleans.Storage.OrleansGrainStorageSerializer(serializer);
    }))
    .UseRedisReminderService(o => o.ConfigurationOptions = redis.Clone()));
using var host = builder.Build();
await host.StartAsync().ConfigureAwait(false);
Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready 127.0.0.1:{options.SiloPort}"));
Console.Out.Flush();
// Its standard input is a pipe from the process that started it: when that process is gone (a test runner killed), the pipe
// closes and the silo stops instead of running on.
var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
_ = Task.Run(async () =>
{
    await Console.In.ReadToEndAsync().ConfigureAwait(false);
    lifetime.StopApplication();
});
await host.WaitForShutdownAsync().ConfigureAwait(false);

/// <summary>The silo's command line.</summary>
internal sealed record SiloArgs(string Redis, string Cluster, string Service, int SiloPort, int GatewayPort)
{
    public static SiloArgs Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        string Get(string name) => values.TryGetValue(name, out string? v) ? v : throw new ArgumentException($"{name} is required.");
        return new SiloArgs(Get("--redis"), Get("--cluster"), Get("--service"),
            int.Parse(Get("--silo-port"), CultureInfo.InvariantCulture), int.Parse(Get("--gateway-port"), CultureInfo.InvariantCulture));
    }
}
