namespace Alignment.Segmentation.Collateral;

/// <summary>
/// Where each tenant's collateral is kept across restarts: the items with their full history (created, revisions, sales reviews,
/// re-reviews, retirement), the usage and feedback reps recorded per deal, the outcome of those deals, and the reps' suggestions.
/// The library (<c>CollateralLibrary.LoadAsync</c>) is rebuilt from it and writes its changes back (<c>FlushAsync</c>).
/// </summary>
/// <remarks>
/// Implementations are thread-safe and keep every instant exactly (100 ns ticks and offset). Tenants are apart. Saving an item or a
/// suggestion again replaces it (last write wins); usages are only appended.
/// </remarks>
public interface IContentStore
{
    /// <summary>
    /// Whether the store records each content state change as an <see cref="Decisions.AlignmentDecision.ContentChanged"/> decision in
    /// a decision outbox, in the same transaction as the change (the PostgreSQL store with <c>recordDecisions</c>); the library
    /// then need not publish them. <see langword="false"/> unless an implementation says otherwise.
    /// </summary>
    bool RecordsDecisions => false;

    /// <summary>Stores an item with its history, replacing any earlier state of it.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the item is stored.</returns>
    /// <exception cref="ArgumentException">The tenant is empty, or the item is invalid (<see cref="ContentStoreRules.Validate(CollateralItem, string)"/>).</exception>
    ValueTask SaveItemAsync(string tenant, CollateralItem item, CancellationToken cancellationToken = default);

    /// <summary>Appends usages, in order; all or nothing.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="usages">The usages.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the usages are stored.</returns>
    /// <exception cref="ArgumentException">The tenant is empty, or a usage is invalid (<see cref="ContentStoreRules.Validate(CollateralUsage, string)"/>).</exception>
    ValueTask AddUsagesAsync(string tenant, IReadOnlyList<CollateralUsage> usages, CancellationToken cancellationToken = default);

    /// <summary>Sets the outcome of a deal.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="dealId">The deal.</param>
    /// <param name="outcome">Its outcome.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the outcome is stored.</returns>
    /// <exception cref="ArgumentException">The tenant or the deal id is empty.</exception>
    ValueTask SetDealOutcomeAsync(string tenant, string dealId, DealOutcome outcome, CancellationToken cancellationToken = default);

    /// <summary>Stores a suggestion, replacing any earlier state of it.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="suggestion">The suggestion.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the suggestion is stored.</returns>
    /// <exception cref="ArgumentException">The tenant is empty, or the suggestion is invalid (<see cref="ContentStoreRules.Validate(ContentSuggestion, string)"/>).</exception>
    ValueTask SaveSuggestionAsync(string tenant, ContentSuggestion suggestion, CancellationToken cancellationToken = default);

    /// <summary>Everything stored for a tenant.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The snapshot; <see cref="ContentSnapshot.Empty"/> for a tenant with nothing stored.</returns>
    /// <exception cref="ArgumentException">The tenant is empty.</exception>
    ValueTask<ContentSnapshot> ReadAsync(string tenant, CancellationToken cancellationToken = default);
}
