namespace Alignment.Leads;

/// <summary>
/// Keeps the leads a host received (<see cref="LeadDocument"/>) and the answers it gave to idempotent requests
/// (<see cref="IngestReceipt"/>), with optimistic concurrency so that several instances never overwrite each other.
/// </summary>
/// <remarks>
/// Implementations are thread-safe. <see cref="InMemoryLeadDocumentStore"/> is the embedded default; the PostgreSQL package
/// has a durable one. One store holds one tenant's leads: a multi-tenant host gives each tenant its own store (the HTTP
/// integration does), so no call here can reach another tenant's lead.
/// </remarks>
public interface ILeadDocumentStore
{
    /// <summary>Finds a lead's document.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The document, or <see langword="null"/> when the lead was never saved.</returns>
    ValueTask<LeadDocument?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default);

    /// <summary>Finds the receipt of an earlier request with this idempotency key.</summary>
    /// <param name="idempotencyKey">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The receipt, or <see langword="null"/> when no request with this key was answered.</returns>
    ValueTask<IngestReceipt?> FindReceiptAsync(string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves a lead's document, and the receipt of the request that produced it, in one unit: both or neither.
    /// </summary>
    /// <param name="document">The document; its <see cref="LeadDocument.Version"/> must be <paramref name="expectedVersion"/> + 1.</param>
    /// <param name="expectedVersion">The version read before (0: the lead must not be stored yet).</param>
    /// <param name="receipt">The receipt to keep with it, or <see langword="null"/> for a request without an idempotency key.</param>
    /// <param name="cancellationToken">Cancels the save (before it commits).</param>
    /// <returns>
    /// <see cref="LeadDocumentSave.Saved"/>; <see cref="LeadDocumentSave.ReceiptExists"/> when the key was taken (checked
    /// first); <see cref="LeadDocumentSave.VersionConflict"/> when the stored version is not <paramref name="expectedVersion"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="ArgumentException">The document's version is not <paramref name="expectedVersion"/> + 1, its JSON is empty or white space, or the receipt is for another lead.</exception>
    ValueTask<LeadDocumentSave> SaveAsync(LeadDocument document, long expectedVersion, IngestReceipt? receipt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves a lead's first document unless the lead is stored already, and then returns its stored document instead: what a
    /// create-or-update does first (<see cref="FindAsync"/>, then <see cref="SaveAsync"/> with expected version 0 when there is
    /// nothing), in one call. The default makes those two calls; a database store makes it one round trip.
    /// </summary>
    /// <param name="document">The lead's first document (version 1).</param>
    /// <param name="cancellationToken">Cancels the call (before it saves).</param>
    /// <returns><see langword="null"/> when <paramref name="document"/> was saved; otherwise the lead's stored document (this call saved nothing).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="ArgumentException">The document's version is not 1, or its JSON is empty.</exception>
    /// <exception cref="InvalidOperationException">The default: the lead was neither found nor saved after five attempts (the store's
    /// <see cref="FindAsync"/> and <see cref="SaveAsync"/> disagree).</exception>
    async ValueTask<LeadDocument?> AddOrFindAsync(LeadDocument document, CancellationToken cancellationToken = default)
    {
        LeadDocumentRules.Check(document, 0, null);
        for (int attempt = 0; attempt < 5; attempt++)
        {
            if (await FindAsync(document.LeadId, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                return stored;
            }

            if (await SaveAsync(document, 0, null, cancellationToken).ConfigureAwait(false) == LeadDocumentSave.Saved)
            {
                return null;
            }

            // Another writer saved the lead between the two calls: the next read finds it.
        }

        throw new InvalidOperationException($"Lead {document.LeadId}: not found, yet a first document conflicted, five times; the store's FindAsync and SaveAsync disagree.");
    }

    /// <summary>
    /// Claims an idempotency key before the work it guards, so that two instances that receive the same key at once do not both
    /// decide: a pending claim is kept until <paramref name="now"/> + <paramref name="hold"/>, then completed by
    /// <see cref="SaveAsync"/> with the receipt, or dropped by <see cref="ReleaseKeyAsync"/>. A pending claim whose time has passed
    /// (its holder crashed) is taken over. <see cref="FindReceiptAsync"/> never returns a pending claim.
    /// </summary>
    /// <param name="idempotencyKey">The key.</param>
    /// <param name="now">The current time.</param>
    /// <param name="hold">How long the claim lasts (longer than one request's work).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see cref="IngestKeyClaimStatus.Claimed"/>; <see cref="IngestKeyClaimStatus.Answered"/> with the receipt; or <see cref="IngestKeyClaimStatus.Pending"/> while another caller holds it.</returns>
    /// <exception cref="ArgumentException"><paramref name="idempotencyKey"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hold"/> is not positive.</exception>
    ValueTask<IngestKeyClaim> ClaimKeyAsync(string idempotencyKey, DateTimeOffset now, TimeSpan hold, CancellationToken cancellationToken = default);

    /// <summary>
    /// Drops the caller's pending claim of <paramref name="idempotencyKey"/> (the work failed before anything was decided). Only that
    /// claim: one another caller took over after it lapsed (its <see cref="IngestKeyClaim.PendingUntil"/> differs) is kept, and so is an
    /// answered key.
    /// </summary>
    /// <param name="idempotencyKey">The key.</param>
    /// <param name="claimedUntil">The <see cref="IngestKeyClaim.PendingUntil"/> of the caller's <see cref="IngestKeyClaimStatus.Claimed"/> claim: it identifies the claim.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when the claim was dropped; <see langword="false"/> when the key is not (or no longer) pending under that claim.</returns>
    ValueTask<bool> ReleaseKeyAsync(string idempotencyKey, DateTimeOffset claimedUntil, CancellationToken cancellationToken = default);

    /// <summary>Removes up to <paramref name="max"/> receipts answered before <paramref name="answeredBefore"/>, oldest first (pending claims are kept).</summary>
    /// <param name="answeredBefore">Receipts older than this are removed; a request repeating their key is then decided again.</param>
    /// <param name="max">The most to remove in this call (a bounded pass).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>How many were removed.</returns>
    ValueTask<int> PurgeReceiptsAsync(DateTimeOffset answeredBefore, int max, CancellationToken cancellationToken = default);

    /// <summary>Lists every stored document, in no particular order (the metrics and exports read it).</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The documents.</returns>
    IAsyncEnumerable<LeadDocument> ListAsync(CancellationToken cancellationToken = default);
}
