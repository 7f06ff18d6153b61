using System.Threading.Channels;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;

namespace Alignment.Orleans.Sla;

/// <summary>
/// A router subscribed to its tenant's service-level clocks: the cells hand it the overdue leads, and it handles them one batch
/// at a time (<see cref="HandoffRouter.HandleSlaBreachesAsync"/>) behind the call, so the cluster never waits for it. It renews
/// its subscription every <c>renewEvery</c>, so a subscription lost with a silo comes back.
/// </summary>
internal sealed partial class SlaSubscription : ISlaBreachObserver, IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly IRoutingSlaGrain _sla;
    private readonly HandoffRouter _router;
    private readonly TimeSpan _renewEvery;
    private readonly ILogger _logger;
    private readonly Channel<string[]> _breached = Channel.CreateUnbounded<string[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly ISlaBreachObserver _reference;
    private Task _renewing = Task.CompletedTask;
    private Task _handling = Task.CompletedTask;
    private int _disposed;

    public SlaSubscription(IGrainFactory grains, string tenant, HandoffRouter router, TimeSpan renewEvery, ILogger? logger)
    {
        _grains = grains;
        _sla = grains.GetGrain<IRoutingSlaGrain>(tenant);
        _router = router;
        _renewEvery = renewEvery;
        _logger = logger ?? NullLogger.Instance;
        _reference = grains.CreateObjectReference<ISlaBreachObserver>(this);
    }

    /// <summary>Starts handling and renewing; subscribes first and throws if that fails when <paramref name="subscribeFirst"/>.</summary>
    public async Task StartAsync(bool subscribeFirst, CancellationToken cancellationToken)
    {
        if (subscribeFirst)
        {
            await _sla.SubscribeAsync(_reference, Lifetime).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        _handling = Task.Run(HandleAsync, CancellationToken.None);
        _renewing = Task.Run(() => RenewAsync(renewNow: !subscribeFirst), CancellationToken.None);
    }

    public Task BreachedAsync(string[] leads)
    {
        _breached.Writer.TryWrite(leads);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _breached.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _sla.UnsubscribeAsync(_reference).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The subscription lapses by itself.
        }

        _grains.DeleteObjectReference<ISlaBreachObserver>(_reference);
        await Task.WhenAll(_renewing, _handling).ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>How long the tenant keeps a subscription not renewed: three renewals.</summary>
    private TimeSpan Lifetime => _renewEvery * 3;

    private async Task RenewAsync(bool renewNow)
    {
        using var timer = new PeriodicTimer(_renewEvery);
        try
        {
            while (renewNow || await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                renewNow = false;
                try
                {
                    await _sla.SubscribeAsync(_reference, Lifetime).WaitAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRenewFailed(_logger, e);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task HandleAsync()
    {
        await foreach (var leads in _breached.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await _router.HandleSlaBreachesAsync(leads.Select(l => new LeadId(l)), _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Their cell hands the leads out again after its retry interval.
                LogHandleFailed(_logger, leads.Length, e);
            }
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Could not renew the subscription to the tenant's service-level clocks; retrying at the next renewal")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Handling {Count} breached service levels failed; their cells hand them out again")]
    private static partial void LogHandleFailed(ILogger logger, int count, Exception exception);
}
