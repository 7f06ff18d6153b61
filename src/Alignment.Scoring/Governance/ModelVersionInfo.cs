namespace Alignment.Scoring.Governance;

/// <summary>Which model version a diff or report is about.</summary>
/// <param name="Id">The model's id.</param>
/// <param name="Version">Its semantic version.</param>
/// <param name="ContentHash">Its content hash.</param>
/// <param name="ChangeNote">Its change note, when it has one.</param>
public sealed record ModelVersionInfo(string Id, string Version, string ContentHash, string? ChangeNote)
{
    /// <summary>Writes <c>id@version (first 12 hex digits of the hash)</c>.</summary>
    /// <returns>The short form.</returns>
    public override string ToString() => $"{Id}@{Version} ({(ContentHash.Length > 12 ? ContentHash[..12] : ContentHash)})";
}
