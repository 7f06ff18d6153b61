namespace Alignment.Models.Challengers;

/// <summary>
/// Where the champion/challenger comparison of each tenant accumulates, shared by every host of a deployment and kept across
/// restarts: the tenant's attached challenger (<see cref="ChallengerAttachment"/>), each lead's latest pair of scores, and the
/// outcomes recorded for leads. Hosts buffer what they score and write it in batches (<see cref="RecordAsync"/>); any host reads
/// the whole comparison back (<see cref="ReadAsync"/>) and computes the impact and the backtest from it.
/// </summary>
/// <remarks>
/// <para>
/// Per lead the ledger keeps the latest pair recorded; once the lead has an outcome other than
/// <see cref="Scoring.Backtesting.BacktestOutcome.Open"/> its pair stays as it was (the scores the models gave before the outcome
/// was known), unless it had none yet. An outcome may arrive before the lead's first pair; it waits for it. A lead without a pair
/// is not part of <see cref="ReadAsync"/>.
/// </para>
/// <para>
/// A batch names the attachment it was scored under. It is taken only while that attachment is the tenant's current one; a batch
/// scored beside a later champion (a higher <see cref="ChallengerAttachment.ChampionSequence"/>) starts the comparison again (the
/// leads and outcomes recorded so far are dropped); one scored beside an earlier champion is dropped. Implementations are
/// thread-safe; the PostgreSQL one is safe from several processes.
/// </para>
/// </remarks>
public interface IChallengerLedger
{
    /// <summary>Attaches a challenger to its tenant, replacing any earlier one: the leads and outcomes recorded so far are dropped.</summary>
    /// <param name="attachment">The attachment.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the attachment is stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="attachment"/> is null.</exception>
    /// <exception cref="ArgumentException">The attachment is invalid (<see cref="ChallengerLedgerRules.Validate(ChallengerAttachment, string)"/>).</exception>
    ValueTask AttachAsync(ChallengerAttachment attachment, CancellationToken cancellationToken = default);

    /// <summary>Detaches the tenant's challenger and drops its leads and outcomes.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when the tenant had a challenger.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is null, empty or white space.</exception>
    ValueTask<bool> DetachAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>The tenant's current attachment, with the champion its leads were last scored beside.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The attachment, or <see langword="null"/> when the tenant has no challenger.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is null, empty or white space.</exception>
    ValueTask<ChallengerAttachment?> GetAttachmentAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a batch scored under <paramref name="attachment"/>: each observation replaces its lead's pair (later entries of the batch
    /// win), then each outcome is set on its lead. All or nothing.
    /// </summary>
    /// <param name="attachment">The attachment the batch was scored under, with the champion it was scored beside.</param>
    /// <param name="observations">The pairs of scores.</param>
    /// <param name="outcomes">The outcomes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>
    /// <see langword="true"/> when the batch was taken; <see langword="false"/> when <paramref name="attachment"/> is no longer the
    /// tenant's (detached or replaced) or was scored beside an earlier champion than the ledger's: nothing was written.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The attachment or an entry is invalid (<see cref="ChallengerLedgerRules"/>).</exception>
    ValueTask<bool> RecordAsync(ChallengerAttachment attachment, IReadOnlyList<ChallengerObservation> observations, IReadOnlyList<ChallengerOutcome> outcomes, CancellationToken cancellationToken = default);

    /// <summary>The tenant's current comparison: the attachment and every lead with a pair of scores, ordered by lead id.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The comparison, or <see langword="null"/> when the tenant has no challenger.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is null, empty or white space.</exception>
    ValueTask<ChallengerRecord?> ReadAsync(string tenant, CancellationToken cancellationToken = default);
}
