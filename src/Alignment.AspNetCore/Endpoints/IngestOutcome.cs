namespace Alignment.AspNetCore.Endpoints;

/// <summary>What an ingest came to.</summary>
/// <param name="ResponseJson">The response body, as text (a replayed answer); see also <see cref="ResponseUtf8"/>.</param>
/// <param name="Replayed">Whether it is the stored answer to an earlier request with the same idempotency key.</param>
/// <param name="KeyReused">Whether the key was used before for a different request (nothing was done).</param>
/// <param name="PendingUntil">When the key is still being decided by another request (another instance) that did not answer in time: when its claim lapses; nothing was done.</param>
internal readonly record struct IngestOutcome(string? ResponseJson, bool Replayed, bool KeyReused, DateTimeOffset? PendingUntil = null)
{
    /// <summary>The response body as UTF-8 JSON (a new answer), or <see langword="null"/> when it is given as <see cref="ResponseJson"/>.</summary>
    public byte[]? ResponseUtf8 { get; init; }
}
