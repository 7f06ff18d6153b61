using System.Threading.Channels;
using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Orleans.Grains;
using Alignment.Policies.Handoff;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;

namespace Alignment.Orleans.Sla;

/// <summary>
/// A host subscribed to its tenant's cells: they hand it the overdue leads, which its router handles
/// (<see cref="HandoffRouter.HandleSlaBreachesAsync"/>), and the decisions they recorded, which it publishes to its sink and
/// acknowledges. One batch at a time, behind the call, so the cluster never waits for it. It renews its subscription every
/// <c>renewEvery</c>, so a subscription lost with a silo comes back.
/// </summary>
internal sealed partial class CellSubscription : ICellObserver, IAsyncDisposable
{
    private readonly IGrainFactory _grains;
    private readonly IRoutingSlaGrain _sla;
    private readonly HandoffRouter? _router;
    private readonly IDecisionSink? _decisions;
    private readonly TimeSpan _renewEvery;
    private readonly ILogger _logger;
    // Bounded: a host that falls behind refuses what does not fit, and the tenant's grain gives it to another host (or its cell
    // hands it out again after its retry interval), rather than this host queueing repeats of the same batches without limit.
    private readonly Channel<Work> _work = Channel.CreateBounded<Work>(new BoundedChannelOptions(64) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stop = new();
    private readonly ICellObserver _reference;
    private Task _renewing = Task.CompletedTask;
    private Task _handling = Task.CompletedTask;
    private int _disposed;

    public CellSubscription(IGrainFactory grains, string tenant, HandoffRouter? router, IDecisionSink? decisions, TimeSpan renewEvery, ILogger? logger)
    {
        _grains = grains;
        _sla = grains.GetGrain<IRoutingSlaGrain>(tenant);
        _router = router;
        _decisions = decisions;
        _renewEvery = renewEvery;
        _logger = logger ?? NullLogger.Instance;
        _reference = grains.CreateObjectReference<ICellObserver>(this);
    }

    /// <summary>Starts handling and renewing; subscribes first and throws if that fails when <paramref name="subscribeFirst"/>.</summary>
    public async Task StartAsync(bool subscribeFirst, CancellationToken cancellationToken)
    {
        if (subscribeFirst)
        {
            await SubscribeAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        _handling = Task.Run(HandleAsync, CancellationToken.None);
        _renewing = Task.Run(() => RenewAsync(renewNow: !subscribeFirst), CancellationToken.None);
    }

    public Task BreachedAsync(string[] leads)
    {
        return Offer(new Work(leads, null, null));
    }

    public Task RecordedAsync(string cell, RecordedDecision[] decisions)
    {
        return Offer(new Work(null, cell, decisions));
    }

    /// <summary>Queues the work, or refuses it when the queue is full (the tenant's grain then tries another host).</summary>
    private Task Offer(Work work) =>
        _work.Writer.TryWrite(work) || _disposed != 0
            ? Task.CompletedTask
            : Task.FromException(new InvalidOperationException("This host's queue of work from the tenant's cells is full."));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _work.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _sla.UnsubscribeAsync(_reference).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The subscription lapses by itself.
        }

        _grains.DeleteObjectReference<ICellObserver>(_reference);
        await Task.WhenAll(_renewing, _handling).ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>How long the tenant keeps a subscription not renewed: three renewals.</summary>
    private TimeSpan Lifetime => _renewEvery * 3;

    private Task SubscribeAsync() => _sla.SubscribeAsync(_reference, Lifetime, handlesBreaches: _router is not null, publishesDecisions: _decisions is not null);

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
                    await SubscribeAsync().WaitAsync(_stop.Token).ConfigureAwait(false);
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
        await foreach (var work in _work.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            try
            {
                if (work.Leads is { } leads && _router is not null)
                {
                    await _router.HandleSlaBreachesAsync(leads.Select(l => new LeadId(l)), _stop.Token).ConfigureAwait(false);
                }
                else if (work is { Cell: { } cell, Decisions: { Length: > 0 } decisions } && _decisions is not null)
                {
                    // In the cell's order; acknowledged once all are published, so a failure part-way publishes the rest again later.
                    foreach (var decision in decisions)
                    {
                        await _decisions.PublishAsync(decision.ToDecision(), _stop.Token).ConfigureAwait(false);
                    }

                    await _grains.GetGrain<IRoutingCellGrain>(cell).AcknowledgeAsync(decisions[^1].Sequence).WaitAsync(_stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Their cell hands them out again after its retry interval.
                LogHandleFailed(_logger, work.Leads is null ? "publishing" : "handling", work.Leads?.Length ?? work.Decisions!.Length, e);
            }
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Could not renew the subscription to the tenant's cells; retrying at the next renewal")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "{Work} {Count} items from the tenant's cells failed; their cells hand them out again")]
    private static partial void LogHandleFailed(ILogger logger, string work, int count, Exception exception);

    /// <summary>Leads to handle, or a cell's decisions to publish.</summary>
    private sealed record Work(string[]? Leads, string? Cell, RecordedDecision[]? Decisions);
}
