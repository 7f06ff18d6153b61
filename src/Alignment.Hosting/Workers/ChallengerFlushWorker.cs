using Alignment.Models.Challengers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alignment.Hosting.Workers;

/// <summary>
/// On every instance: every <see cref="AlignmentWorkerOptions.ChallengerFlushInterval"/> writes what scoring buffered beside each
/// tenant's challenger to the <see cref="IChallengerLedger"/> (<see cref="IChallengerBuffer.FlushChallengerAsync"/>) and takes up the
/// challengers other hosts attached or detached; once more when the host stops, so a graceful shutdown loses nothing. A batch that
/// fails stays buffered for the next cycle.
/// </summary>
internal sealed class ChallengerFlushWorker(IServiceProvider services, IOptions<AlignmentWorkerOptions> options, WorkerHealth health, TimeProvider time, ILoggerFactory? loggerFactory = null)
    : AlignmentWorker(options, health, time, loggerFactory)
{
    public override string Name => "challenger-flush";

    protected override bool Enabled =>
        (Options.Workers & AlignmentWorkers.ChallengerFlush) != 0 && services.GetService<IChallengerLedger>() is not null && services.GetServices<IChallengerBuffer>().Any();

    protected override TimeSpan StaleAfter => 3 * Options.ChallengerFlushInterval + TimeSpan.FromMinutes(1);

    protected override async ValueTask<TimeSpan> RunCycleAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return Options.ChallengerFlushInterval;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (!Enabled)
        {
            return;
        }

        try
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            HostingLog.ChallengerFlushLost(Logger, e);
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var buffer in services.GetServices<IChallengerBuffer>())
        {
            await buffer.FlushChallengerAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
