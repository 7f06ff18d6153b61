using Alignment.Decisions;
using Alignment.Policies.Handoff;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Alignment.Orleans.Sla;

/// <summary>
/// Subscribes the host to its tenant's cells while it runs: its <see cref="HandoffRouter"/> (when it has one) handles the breaches
/// the cells' clocks find, and, when the store records decisions, its <see cref="IDecisionSink"/> publishes the cells' outboxes.
/// Never fails the host's start: the subscription is made, and renewed, in the background.
/// </summary>
internal sealed class CellSubscriptionService(IServiceProvider services) : IHostedService
{
    private CellSubscription? _subscription;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<OrleansRoutingStateStore>();
        var router = services.GetService<HandoffRouter>();
        var decisions = store.RecordsDecisions ? services.GetService<IDecisionSink>() : null;
        if (router is null && decisions is null)
        {
            return;
        }

        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Alignment.Orleans.Cells");
        _subscription = store.CreateSubscription(router, decisions, renewEvery: null, logger);
        await _subscription.StartAsync(subscribeFirst: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscription is { } subscription)
        {
            _subscription = null;
            await subscription.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
