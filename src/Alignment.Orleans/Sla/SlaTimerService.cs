using Alignment.Policies.Handoff;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Alignment.Orleans.Sla;

/// <summary>
/// Subscribes the host's <see cref="HandoffRouter"/> (when it has one) to its tenant's service-level clocks while the host runs.
/// Never fails the host's start: the subscription is made, and renewed, in the background.
/// </summary>
internal sealed class SlaTimerService(IServiceProvider services) : IHostedService
{
    private SlaSubscription? _subscription;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<HandoffRouter>() is not { } router)
        {
            return;
        }

        var store = services.GetRequiredService<OrleansRoutingStateStore>();
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("Alignment.Orleans.Sla");
        _subscription = store.CreateSlaSubscription(router, renewEvery: null, logger);
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
