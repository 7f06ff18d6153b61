namespace Alignment.Models.Challengers;

/// <summary>
/// A host's side of the champion/challenger comparison when it keeps it in an <see cref="IChallengerLedger"/>: scoring only buffers
/// what the challenger did, and <see cref="FlushChallengerAsync"/> (called by the hosting package's challenger-flush worker, and at
/// shutdown) writes it to the ledger and takes up challengers attached or detached by other hosts.
/// </summary>
public interface IChallengerBuffer
{
    /// <summary>
    /// Writes the buffered pairs of scores and outcomes to the ledger, one batch per tenant, and takes up, for every tenant this host
    /// has a model of, the challenger the ledger names (attached, replaced or detached by another host).
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many pairs and outcomes were written.</returns>
    /// <exception cref="AggregateException">A tenant's batch or refresh failed; the others were still written, and the failed batch stays buffered for the next call.</exception>
    ValueTask<int> FlushChallengerAsync(CancellationToken cancellationToken = default);
}
