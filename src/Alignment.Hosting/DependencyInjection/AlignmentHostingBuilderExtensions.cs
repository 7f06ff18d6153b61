using Alignment.Coordination;
using Alignment.Decisions;
using Alignment.Hosting;
using Alignment.Hosting.Workers;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Nurture;
using Alignment.Scoring;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the production runtime of Alignment to a generic host: the background workers, their start-up checks and health checks.</summary>
public static class AlignmentHostingBuilderExtensions
{
    /// <summary>
    /// Runs the clocks of the engines as hosted services (<see cref="AlignmentWorkerOptions.Workers"/>): the due nurture steps on every
    /// instance; the SLA check and the score-decay watch on one instance at a time through leases in the <see cref="ILeaseStore"/>
    /// (another instance takes over within <see cref="AlignmentWorkerOptions.LeaseDuration"/> when the leader dies). Registers the
    /// <see cref="ScoreDecayWatcher"/> (call its <see cref="ScoreDecayWatcher.WatchAsync"/> when a lead's activities change) and
    /// in-memory defaults for <see cref="ILeaseStore"/> and <see cref="IScoreWatchStore"/> that a host on several instances replaces
    /// (<c>UsePostgreSqlLeaseStore</c>, <c>UsePostgreSqlScoreWatchStore</c>). When the host starts, the options are validated and a
    /// check runs before the workers: a selected worker without its engine, or a durable configuration with an in-memory step
    /// handler, decision sink, lease or watch store, stops the start with a message naming each. Calling it twice is harmless; the
    /// last <paramref name="configure"/> wins for each setting.
    /// </summary>
    /// <param name="builder">The Alignment builder.</param>
    /// <param name="configure">Sets the options; <see langword="null"/> for the defaults.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IAlignmentBuilder AddAlignmentWorker(this IAlignmentBuilder builder, Action<AlignmentWorkerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<AlignmentWorkerOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlignmentWorkerOptions>, AlignmentWorkerOptionsValidator>());
        services.AddAlignment();
        services.TryAddSingleton<ILeaseStore>(static sp => new InMemoryLeaseStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IScoreWatchStore>(static sp => new InMemoryScoreWatchStore(sp.GetService<IDecisionOutbox>() as InMemoryDecisionOutbox));
        services.TryAddSingleton<WorkerHealth>();
        services.TryAddSingleton(static sp => new ScoreDecayWatcher(new ScoreDecayWatcherServices
        {
            Store = sp.GetRequiredService<IScoreWatchStore>(),
            Scorer = sp.GetRequiredService<ILeadScorer>(),
            Crossings = sp.GetRequiredService<IScoreCrossingCalculator>(),
            Leads = sp.GetRequiredService<ILeadSnapshotSource>(),
            Decisions = sp.GetRequiredService<IDecisionSink>(),
            TimeProvider = sp.GetRequiredService<TimeProvider>(),
            Nurture = sp.GetService<INurturePolicy>(),
            NurtureEngine = sp.GetService<NurtureEngine>(),
            Lifecycle = sp.GetService<ILifecycleStore>(),
            LoggerFactory = sp.GetService<ILoggerFactory>(),
        }));

        // Hosted services start in registration order: the check first, so no worker runs on a configuration it refuses.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StartupCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ModelRefreshWorker>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ChallengerFlushWorker>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, NurtureWorker>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SlaCheckWorker>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DecayWatchWorker>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DecisionRelayWorker>());
        services.TryAddSingleton(static sp => new DecisionRelay(sp.GetRequiredService<IDecisionOutbox>(), sp.GetRequiredService<IDecisionSink>()));
        return builder;
    }

    /// <summary>
    /// Adds two health checks: <c>alignment-workers</c> (unhealthy when a running worker's last successful cycle is older than three
    /// of its intervals, plus the lease duration for single-leader ones; reports each worker's role and failures) and
    /// <c>alignment-stores</c> (unhealthy when a durable store is unreachable or its schema is not at the expected version).
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="tags">Tags for both checks, for example <c>ready</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IHealthChecksBuilder AddAlignmentChecks(this IHealthChecksBuilder builder, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<WorkerHealth>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        var tagList = tags?.ToArray() ?? [];
        builder.Add(new HealthCheckRegistration("alignment-workers", static sp => new WorkersHealthCheck(sp.GetRequiredService<WorkerHealth>(), sp.GetRequiredService<TimeProvider>()), HealthStatus.Unhealthy, tagList));
        builder.Add(new HealthCheckRegistration("alignment-stores", static sp => new StoresHealthCheck(sp.GetServices<Alignment.Diagnostics.IStoreHealthProbe>()), HealthStatus.Unhealthy, tagList));
        return builder;
    }
}
