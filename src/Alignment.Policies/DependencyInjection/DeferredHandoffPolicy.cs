using Alignment.Handoff;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Gives the nurture engine the host's <see cref="IHandoffPolicy"/> on first use rather than at construction: the handoff
/// router also depends on the nurture policy (to recycle rejected leads), so resolving either eagerly would be a cycle.
/// </summary>
internal sealed class DeferredHandoffPolicy(Func<IHandoffPolicy> resolve) : IHandoffPolicy
{
    private readonly Lazy<IHandoffPolicy> _policy = new(resolve, LazyThreadSafetyMode.ExecutionAndPublication);

    public ValueTask<HandoffDecision> RouteAsync(HandoffRequest request, CancellationToken cancellationToken = default) =>
        _policy.Value.RouteAsync(request, cancellationToken);
}
