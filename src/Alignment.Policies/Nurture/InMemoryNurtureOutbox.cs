using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Alignment.Policies.Nurture;

/// <summary>An <see cref="INurtureStepHandler"/> that keeps steps in memory, dropping repeats by idempotency key: the default, and handy in tests.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemoryNurtureOutbox : INurtureStepHandler
{
    private readonly ConcurrentDictionary<string, NurtureStepExecution> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<NurtureStepExecution> _executions = new();
    private int _deliveries;

    /// <summary>The distinct steps received so far, in arrival order.</summary>
    public ImmutableArray<NurtureStepExecution> Executions => [.. _executions];

    /// <summary>How many times a step was handed over, repeats included.</summary>
    public int Deliveries => Volatile.Read(ref _deliveries);

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="execution"/> is null.</exception>
    public ValueTask ExecuteAsync(NurtureStepExecution execution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        cancellationToken.ThrowIfCancellationRequested();
        Interlocked.Increment(ref _deliveries);
        if (_byKey.TryAdd(execution.IdempotencyKey, execution))
        {
            _executions.Enqueue(execution);
        }

        return ValueTask.CompletedTask;
    }
}
