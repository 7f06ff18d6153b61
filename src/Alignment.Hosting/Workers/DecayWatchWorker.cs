using Alignment.Coordination;
using Alignment.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alignment.Hosting.Workers;

/// <summary>
/// On the instance that holds the <c>alignment.decay</c> lease: sleeps until the earliest watched crossing (or the poll
/// interval, to renew the lease and see watches set elsewhere), then lets the <see cref="ScoreDecayWatcher"/> handle what is due.
/// A watch set in this process wakes it at once.
/// </summary>
internal sealed class DecayWatchWorker : LeaderWorker
{
    public const string Lease = "alignment.decay";
    private readonly IServiceProvider _services;

    public DecayWatchWorker(IServiceProvider services, IOptions<AlignmentWorkerOptions> options, ILeaseStore leases, WorkerHealth health, TimeProvider time, ILoggerFactory? loggerFactory = null)
        : base(options, leases, health, time, loggerFactory)
    {
        _services = services;
    }

    public override string Name => "decay-watch";

    protected override string LeaseName => Lease;

    protected override TimeSpan Interval => Options.DecayPollInterval;

    protected override bool Enabled => (Options.Workers & AlignmentWorkers.DecayWatch) != 0;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            _services.GetRequiredService<ScoreDecayWatcher>().Watched += Wake;
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async ValueTask<TimeSpan> LeadAsync(CancellationToken cancellationToken)
    {
        var watcher = _services.GetRequiredService<ScoreDecayWatcher>();
        int handled = await watcher.ProcessDueAsync(Options.DecayBatchSize, cancellationToken).ConfigureAwait(false);
        HostingLog.DecayCycle(Logger, handled);
        if (handled >= Options.DecayBatchSize)
        {
            return TimeSpan.Zero;
        }

        var next = await _services.GetRequiredService<IScoreWatchStore>().GetNextWakeAsync(cancellationToken).ConfigureAwait(false);
        if (next is not { } at)
        {
            return Interval;
        }

        var wait = at - Time.GetUtcNow();
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }
}
