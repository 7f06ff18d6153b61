using Alignment.Coordination;
using Alignment.Decisions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alignment.Hosting.Workers;

/// <summary>
/// On the instance that holds the <c>alignment.outbox</c> lease: delivers what the stores recorded in the
/// <see cref="IDecisionOutbox"/> through the registered <see cref="DecisionRelay"/>: after a read that delivered decisions it reads
/// again after <see cref="AlignmentWorkerOptions.RelayBusyInterval"/> (at once after a full read of <see cref="MaxPerRead"/>), after
/// one that found nothing it waits <see cref="AlignmentWorkerOptions.RelayInterval"/>; the lease is renewed about every
/// <see cref="AlignmentWorkerOptions.RelayInterval"/> either way.
/// One relay at a time keeps the order per lead; a relay that dies leaves the undelivered decisions pending for the next leader.
/// Does nothing when no outbox is registered.
/// </summary>
internal sealed class DecisionRelayWorker(IServiceProvider services, IOptions<AlignmentWorkerOptions> options, ILeaseStore leases, WorkerHealth health, TimeProvider time, ILoggerFactory? loggerFactory = null)
    : LeaderWorker(options, leases, health, time, loggerFactory)
{
    public const string Lease = "alignment.outbox";

    /// <summary>The most decisions one read delivers; a read that delivers this many (a backlog) ends the run, the lease is renewed and the next run starts at once.</summary>
    public const int MaxPerRead = 1_000;

    public override string Name => "decision-relay";

    protected override string LeaseName => Lease;

    protected override TimeSpan Interval => Options.RelayInterval;

    protected override bool Enabled => (Options.Workers & AlignmentWorkers.DecisionRelay) != 0 && services.GetService<IDecisionOutbox>() is not null;

    protected override async ValueTask<TimeSpan> LeadAsync(CancellationToken cancellationToken)
    {
        // A bounded run: the lease is renewed between runs, so a backlog (the CRM was down) never outlasts it. While decisions
        // keep coming (each read found some), the relay reads again after RelayBusyInterval within the same run, so that none
        // waits long in the outbox, and the run ends after about RelayInterval so that the lease is still renewed at that pace
        // (not at every busy read). The first read that finds nothing ends the run, and the relay then waits RelayInterval.
        var relay = services.GetRequiredService<DecisionRelay>();
        var busy = Options.RelayBusyInterval;
        // The run's last busy read starts early enough that the renewal after it (the run, then one busy sleep) comes within
        // about RelayInterval of the last, and before the lease's budget (half the lease) can cancel a delivery midway.
        var deadline = (Interval < Options.LeaseDuration / 2 ? Interval : Options.LeaseDuration / 2) - busy - busy;
        long started = Time.GetTimestamp();
        while (true)
        {
            int delivered = await relay.DeliverUpToAsync(MaxPerRead, cancellationToken).ConfigureAwait(false);
            HostingLog.RelayCycle(Logger, delivered);
            if (delivered >= MaxPerRead)
            {
                return TimeSpan.Zero;
            }

            if (delivered == 0)
            {
                return Interval;
            }

            if (Time.GetElapsedTime(started) >= deadline)
            {
                return busy; // renew the lease, then read again after the busy interval (LeaderWorker caps it at Interval)
            }

            await Task.Delay(busy, Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
