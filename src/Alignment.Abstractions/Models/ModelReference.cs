namespace Alignment.Models;

/// <summary>
/// Names the exact model a decision was made with: its id, version and content hash (the hash both teams' approvals name), so every
/// routing decision, nurture step and segment assignment can be traced to the release that made it.
/// </summary>
/// <param name="Id">The model's (or policy's) id.</param>
/// <param name="Version">Its version; empty when the model has none.</param>
/// <param name="ContentHash">The lower-case hex SHA-256 of its canonical content.</param>
public sealed record ModelReference(string Id, string Version, string ContentHash)
{
    /// <summary>The reference as text: <c>{id}@{version} ({first 12 digits of the hash})</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"{Id}@{(Version.Length == 0 ? "-" : Version)} ({(ContentHash.Length > 12 ? ContentHash[..12] : ContentHash)})";
}
