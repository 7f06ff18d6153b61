namespace Alignment.Leads;

/// <summary>
/// A lead as a host received it from the CRM: its document in the host's own wire format (JSON, opaque to the store), with a
/// version for optimistic concurrency. The HTTP integration (Alignment.AspNetCore) keeps each ingested lead, its activities
/// and the last decision this way, so a lead can be read back and re-scored when new activity arrives.
/// </summary>
/// <param name="LeadId">The lead.</param>
/// <param name="Version">The number of saves so far (1 for the first); <see cref="ILeadDocumentStore.SaveAsync"/> checks it.</param>
/// <param name="Json">The document, as JSON text.</param>
/// <param name="UpdatedAt">When it was last saved.</param>
public sealed record LeadDocument(LeadId LeadId, long Version, string Json, DateTimeOffset UpdatedAt);
