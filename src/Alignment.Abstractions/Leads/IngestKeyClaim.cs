namespace Alignment.Leads;

/// <summary>What <see cref="ILeadDocumentStore.ClaimKeyAsync"/> found for an idempotency key.</summary>
public enum IngestKeyClaimStatus
{
    /// <summary>The caller holds the key now (until <see cref="IngestKeyClaim.PendingUntil"/>): it decides, then saves the receipt.</summary>
    Claimed = 0,

    /// <summary>A request with this key was answered: <see cref="IngestKeyClaim.Receipt"/> is its receipt.</summary>
    Answered = 1,

    /// <summary>Another caller holds the key and has not answered yet (until <see cref="IngestKeyClaim.PendingUntil"/> at the latest).</summary>
    Pending = 2,
}

/// <summary>The outcome of claiming an idempotency key before deciding.</summary>
/// <param name="Status">Claimed, answered or pending.</param>
/// <param name="Receipt">The receipt, when <see cref="IngestKeyClaimStatus.Answered"/>.</param>
/// <param name="PendingUntil">When the claim lapses (another caller may then take the key), when claimed or pending.</param>
public sealed record IngestKeyClaim(IngestKeyClaimStatus Status, IngestReceipt? Receipt, DateTimeOffset? PendingUntil);
