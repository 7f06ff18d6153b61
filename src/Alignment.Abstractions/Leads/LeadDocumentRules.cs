namespace Alignment.Leads;

/// <summary>The argument checks every <see cref="ILeadDocumentStore"/> makes, so every backend refuses the same calls.</summary>
public static class LeadDocumentRules
{
    /// <summary>Checks the arguments of <see cref="ILeadDocumentStore.SaveAsync"/>.</summary>
    /// <param name="document">The document.</param>
    /// <param name="expectedVersion">The version expected in the store.</param>
    /// <param name="receipt">The receipt, if any.</param>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    /// <exception cref="ArgumentException">The version does not follow <paramref name="expectedVersion"/>, the JSON is empty, or the receipt is for another lead or has an empty key.</exception>
    public static void Check(LeadDocument document, long expectedVersion, IngestReceipt? receipt)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentOutOfRangeException.ThrowIfNegative(expectedVersion);
        if (document.Version != expectedVersion + 1)
        {
            throw new ArgumentException($"Lead {document.LeadId}: the document's version must be {expectedVersion + 1} (the expected version + 1), not {document.Version}.", nameof(document));
        }

        if (document.IsBlank)
        {
            throw new ArgumentException($"Lead {document.LeadId}: the document has no JSON.", nameof(document));
        }

        if (receipt is not null)
        {
            if (receipt.LeadId != document.LeadId)
            {
                throw new ArgumentException($"The receipt for idempotency key '{receipt.IdempotencyKey}' is for lead {receipt.LeadId}, not {document.LeadId}.", nameof(receipt));
            }

            if (string.IsNullOrEmpty(receipt.IdempotencyKey))
            {
                throw new ArgumentException("The receipt has an empty idempotency key.", nameof(receipt));
            }
        }
    }
}
