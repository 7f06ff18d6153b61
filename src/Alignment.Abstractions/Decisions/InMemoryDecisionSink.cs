using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Alignment.Decisions;

/// <summary>An <see cref="IDecisionSink"/> that keeps decisions in memory, in arrival order: the default, and handy in tests.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemoryDecisionSink : IDecisionSink
{
    private readonly ConcurrentQueue<AlignmentDecision> _decisions = new();

    /// <summary>The decisions received so far, oldest first.</summary>
    public ImmutableArray<AlignmentDecision> Decisions => [.. _decisions];

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="decision"/> is null.</exception>
    public ValueTask PublishAsync(AlignmentDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        cancellationToken.ThrowIfCancellationRequested();
        _decisions.Enqueue(decision);
        return ValueTask.CompletedTask;
    }
}
