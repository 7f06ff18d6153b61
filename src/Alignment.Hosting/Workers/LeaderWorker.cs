using Alignment.Coordination;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Alignment.Hosting.Workers;

/// <summary>
/// A worker that runs on one instance at a time: each cycle acquires or renews its lease and works only while it holds it; a
/// standby instance tries again every interval, so it takes over within the lease duration plus one interval after the
/// leader stops renewing. A cycle's work is cancelled at half the lease and the lease renewed before it goes on, so a leader
/// never works on an expired lease. The lease is released when the host stops, so a planned restart hands over at once.
/// </summary>
internal abstract class LeaderWorker(IOptions<AlignmentWorkerOptions> options, ILeaseStore leases, WorkerHealth health, TimeProvider time, ILoggerFactory? loggerFactory)
    : AlignmentWorker(options, health, time, loggerFactory)
{
    private long _term;
    private bool _leading;

    /// <summary>The lease's name.</summary>
    protected abstract string LeaseName { get; }

    /// <summary>The longest sleep between cycles (the lease is renewed once per cycle).</summary>
    protected abstract TimeSpan Interval { get; }

    protected override TimeSpan StaleAfter => Options.LeaseDuration + 3 * Interval;

    /// <summary>Whether this instance held the lease at its last cycle.</summary>
    public bool IsLeading => Volatile.Read(ref _leading);

    /// <summary>The work of one cycle while leading; returns the sleep it wants (capped at <see cref="Interval"/>).</summary>
    protected abstract ValueTask<TimeSpan> LeadAsync(CancellationToken cancellationToken);

    protected sealed override async ValueTask<TimeSpan> RunCycleAsync(CancellationToken cancellationToken)
    {
        var grant = await leases.TryAcquireAsync(LeaseName, Options.InstanceId, Options.LeaseDuration, cancellationToken).ConfigureAwait(false);
        if (grant is not { } held)
        {
            if (_leading)
            {
                HostingLog.LeaseLost(Logger, Options.InstanceId, LeaseName, Name);
            }

            Volatile.Write(ref _leading, false);
            Role = "standby";
            return Interval;
        }

        if (!_leading || held.Term != _term)
        {
            HostingLog.LeaseTaken(Logger, Options.InstanceId, LeaseName, held.Term, Name);
        }

        _term = held.Term;
        Volatile.Write(ref _leading, true);
        Role = "leader";
        // The work of one cycle ends by half the lease at the latest, so the lease is renewed before it can expire under a leader
        // that is still working (a long decay pass, a backlog of decisions): a second leader never starts beside this one.
        using var budget = new CancellationTokenSource(Options.LeaseDuration / 2, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        TimeSpan wanted;
        try
        {
            wanted = await LeadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return TimeSpan.Zero; // renew the lease, then go on
        }

        return wanted < Interval ? wanted : Interval;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_leading)
        {
            Volatile.Write(ref _leading, false);
            try
            {
                await leases.ReleaseAsync(LeaseName, Options.InstanceId, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The lease then expires by itself; the next leader waits for that.
                HostingLog.WorkerFailed(Logger, e, Name + " (lease release)", 1, Options.LeaseDuration);
            }
        }
    }
}
