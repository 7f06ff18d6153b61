using Alignment.Diagnostics;

namespace Alignment.Decisions;

/// <summary>
/// Delivers the pending decisions of an <see cref="IDecisionOutbox"/> to an <see cref="IDecisionSink"/>: in
/// <see cref="DecisionEnvelope.Sequence"/> order, each at least once, marking them delivered after the sink accepted them. A sink
/// that throws stops the run at that decision; it and everything after it stay pending for the next run, so the order per lead
/// holds. A crash after the sink accepted a decision and before the mark is saved delivers it again: sinks that must see each
/// decision once remember <see cref="AlignmentDecision.IdempotencyKey"/>.
/// </summary>
/// <remarks>
/// Thread-safe: runs of one relay never overlap. Across processes, run one relay per outbox at a time (the hosting worker
/// <c>AlignmentWorkers.DecisionRelay</c> holds the lease <c>alignment.outbox</c>).
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The SemaphoreSlim's wait handle is never created, so it holds nothing to dispose.")]
public sealed class DecisionRelay
{
    private readonly IDecisionOutbox _outbox;
    private readonly IDecisionSink _sink;
    private readonly int _batchSize;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates a relay.</summary>
    /// <param name="outbox">Where the decisions wait.</param>
    /// <param name="sink">Where they go.</param>
    /// <param name="batchSize">How many to read and mark at a time; 1 to 10,000.</param>
    /// <exception cref="ArgumentNullException"><paramref name="outbox"/> or <paramref name="sink"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is out of range.</exception>
    public DecisionRelay(IDecisionOutbox outbox, IDecisionSink sink, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, 10_000);
        _outbox = outbox;
        _sink = sink;
        _batchSize = batchSize;
    }

    /// <summary>
    /// Delivers everything pending now, batch by batch, until the outbox is empty. Traced as the span
    /// <c>alignment.outbox.relay</c> (tag <c>alignment.outbox.delivered</c>) on <see cref="AlignmentDiagnostics.ActivitySource"/>.
    /// </summary>
    /// <param name="cancellationToken">Stops between decisions; what was accepted is still marked delivered.</param>
    /// <returns>The number of decisions delivered.</returns>
    /// <exception cref="OperationCanceledException">Canceled.</exception>
    /// <remarks>An exception from the sink or the outbox propagates after the decisions accepted before it are marked delivered.</remarks>
    public ValueTask<int> DeliverPendingAsync(CancellationToken cancellationToken = default) => DeliverUpToAsync(int.MaxValue, cancellationToken);

    /// <summary>
    /// Delivers at most <paramref name="maxCount"/> of the decisions pending now, in order, batch by batch. A caller that holds a
    /// lease (the hosting worker) bounds each run this way and renews the lease between runs, so a large backlog never outlasts
    /// the lease and a second relay never starts beside a running one.
    /// </summary>
    /// <param name="maxCount">The most decisions to deliver in this run; at least 1.</param>
    /// <param name="cancellationToken">Stops between decisions; what was accepted is still marked delivered.</param>
    /// <returns>The number of decisions delivered; <paramref name="maxCount"/> when more may be pending.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is less than 1.</exception>
    /// <exception cref="OperationCanceledException">Canceled.</exception>
    public async ValueTask<int> DeliverUpToAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var activity = AlignmentDiagnostics.ActivitySource.StartActivity("alignment.outbox.relay");
        int total = 0;
        try
        {
            while (true)
            {
                int want = Math.Min(_batchSize, maxCount - total);
                if (want <= 0)
                {
                    return total;
                }

                var batch = await _outbox.ReadPendingAsync(want, cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    return total;
                }

                var delivered = new List<long>(batch.Count);
                try
                {
                    foreach (var envelope in batch)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var decision = envelope.Decision.IdempotencyKey == envelope.Key ? envelope.Decision : envelope.Decision with { IdempotencyKey = envelope.Key };
                        await _sink.PublishAsync(decision, cancellationToken).ConfigureAwait(false);
                        delivered.Add(envelope.Sequence);
                    }
                }
                finally
                {
                    if (delivered.Count > 0)
                    {
                        // Not cancellable: what the sink accepted is marked even when the run is being stopped.
                        await _outbox.MarkDeliveredAsync(delivered, CancellationToken.None).ConfigureAwait(false);
                    }
                }

                total += delivered.Count;
                if (batch.Count < want)
                {
                    return total;
                }
            }
        }
        finally
        {
            activity?.SetTag("alignment.outbox.delivered", total);
            _gate.Release();
        }
    }
}
