using Alignment.Policies.Nurture;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alignment.Hosting.Workers;

/// <summary>Sends the due nurture steps on every instance (the store's claims under leases keep two instances off one enrolment).</summary>
internal sealed class NurtureWorker(IServiceProvider services, IOptions<AlignmentWorkerOptions> options, WorkerHealth health, TimeProvider time, ILoggerFactory? loggerFactory = null)
    : AlignmentWorker(options, health, time, loggerFactory)
{
    public override string Name => "nurture";

    protected override bool Enabled => (Options.Workers & AlignmentWorkers.Nurture) != 0;

    protected override TimeSpan StaleAfter => 3 * Options.NurtureInterval + TimeSpan.FromMinutes(1);

    protected override async ValueTask<TimeSpan> RunCycleAsync(CancellationToken cancellationToken)
    {
        var engine = services.GetRequiredService<NurtureEngine>();
        int batch = services.GetRequiredService<IOptions<NurtureOptions>>().Value.BatchSize;
        var result = await engine.RunDueAsync(cancellationToken).ConfigureAwait(false);
        HostingLog.NurtureCycle(Logger, result.Claimed, result.StepsSent);
        return result.Claimed >= batch ? TimeSpan.Zero : Options.NurtureInterval;
    }
}
