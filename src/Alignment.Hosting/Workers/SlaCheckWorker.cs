using Alignment.Coordination;
using Alignment.Policies.Handoff;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alignment.Hosting.Workers;

/// <summary>Handles breached handoff SLAs on the instance that holds the <c>alignment.sla</c> lease.</summary>
internal sealed class SlaCheckWorker(IServiceProvider services, IOptions<AlignmentWorkerOptions> options, ILeaseStore leases, WorkerHealth health, TimeProvider time, ILoggerFactory? loggerFactory = null)
    : LeaderWorker(options, leases, health, time, loggerFactory)
{
    public const string Lease = "alignment.sla";

    public override string Name => "sla-check";

    protected override string LeaseName => Lease;

    protected override TimeSpan Interval => Options.SlaCheckInterval;

    protected override bool Enabled => (Options.Workers & AlignmentWorkers.SlaCheck) != 0;

    protected override async ValueTask<TimeSpan> LeadAsync(CancellationToken cancellationToken)
    {
        var handled = await services.GetRequiredService<HandoffRouter>().ProcessSlaBreachesAsync(cancellationToken).ConfigureAwait(false);
        HostingLog.SlaCycle(Logger, handled.Length);
        return Interval;
    }
}
