using Alignment.Coordination;
using Alignment.Decisions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alignment.Hosting.Workers;

/// <summary>
/// On the instance that holds the <c>alignment.outbox</c> lease: delivers what the stores recorded in the
/// <see cref="IDecisionOutbox"/> through the registered <see cref="DecisionRelay"/>, then waits <see cref="AlignmentWorkerOptions.RelayBusyInterval"/>
/// when it delivered something and <see cref="AlignmentWorkerOptions.RelayInterval"/> when it found nothing.
/// One relay at a time keeps the order per lead; a relay that dies leaves the undelivered decisions pending for the next leader.
/// Does nothing when no outbox is registered.
/// </summary>
internal sealed class DecisionRelayWorker(IServiceProvider services, IOptions<AlignmentWorkerOptions> options, ILeaseStore leases, WorkerHealth health, TimeProvider time, ILoggerFactory? loggerFactory = null)
    : LeaderWorker(options, leases, health, time, loggerFactory)
{
    public const string Lease = "alignment.outbox";

    /// <summary>The most decisions one cycle delivers before the lease is renewed.</summary>
    public const int MaxPerCycle = 1_000;

    public override string Name => "decision-relay";

    protected override string LeaseName => Lease;

    protected override TimeSpan Interval => Options.RelayInterval;

    protected override bool Enabled => (Options.Workers & AlignmentWorkers.DecisionRelay) != 0 && services.GetService<IDecisionOutbox>() is not null;

    protected override async ValueTask<TimeSpan> LeadAsync(CancellationToken cancellationToken)
    {
        // A bounded run: the lease is renewed between runs, so a backlog (the CRM was down) never outlasts it.
        int delivered = await services.GetRequiredService<DecisionRelay>().DeliverUpToAsync(MaxPerCycle, cancellationToken).ConfigureAwait(false);
        HostingLog.RelayCycle(Logger, delivered);
        // Decisions are arriving: come back soon, so that none waits long in the outbox (RelayBusyInterval); none: the idle pace.
        return delivered >= MaxPerCycle ? TimeSpan.Zero : delivered > 0 && Options.RelayBusyInterval < Interval ? Options.RelayBusyInterval : Interval;
    }
}
