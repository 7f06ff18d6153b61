namespace Alignment.Leads;

/// <summary>
/// The answer given to one ingest that carried an idempotency key, kept so that a repeat of the same request gets the same
/// answer (and changes nothing), and a different request with the same key is recognised and refused.
/// </summary>
/// <param name="IdempotencyKey">The key the caller sent (unique per store).</param>
/// <param name="LeadId">The lead the request was for.</param>
/// <param name="RequestHash">A hash of the request body, to tell a repeat from a different request with the same key.</param>
/// <param name="ResponseJson">The response that was given, as JSON text.</param>
/// <param name="At">When it was given.</param>
public sealed record IngestReceipt(string IdempotencyKey, LeadId LeadId, string RequestHash, string ResponseJson, DateTimeOffset At);
