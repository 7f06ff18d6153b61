using Alignment.Decisions;
using Alignment.Webhooks;

namespace Alignment.AspNetCore.Webhooks;

/// <summary>Publishes each decision to the tenant's webhooks, then to the host's own sink.</summary>
internal sealed class FanOutDecisionSink(IDecisionSink webhooks, IDecisionSink host) : IDecisionSink
{
    public async ValueTask PublishAsync(AlignmentDecision decision, CancellationToken cancellationToken = default)
    {
        await webhooks.PublishAsync(decision, cancellationToken).ConfigureAwait(false);
        await host.PublishAsync(decision, cancellationToken).ConfigureAwait(false);
    }
}
