namespace Alignment.AspNetCore.Wire;

/// <summary>The exact model a decision used.</summary>
/// <param name="Id">The model's id.</param>
/// <param name="Version">Its version.</param>
/// <param name="Hash">Its content hash.</param>
public sealed record ModelResponse(string Id, string Version, string Hash);
