namespace Alignment.Leads;

/// <summary>What <see cref="ILeadDocumentStore.SaveAsync"/> did.</summary>
public enum LeadDocumentSave
{
    /// <summary>The document (and the receipt, when one was given) were saved.</summary>
    Saved,

    /// <summary>Nothing was saved: the stored version is no longer the one expected (another save came first); read and try again.</summary>
    VersionConflict,

    /// <summary>Nothing was saved: a receipt with the same idempotency key exists (the same request was answered already); read it.</summary>
    ReceiptExists,
}
