namespace Alignment.Scoring.Definitions;

/// <summary>A category of points (for example a product line) with its own sub-score and an optional cap.</summary>
/// <param name="Id">The category's id.</param>
/// <param name="Cap">The most points the category can give; <see langword="null"/> for no cap.</param>
public sealed record CategoryDefinition(string Id, decimal? Cap)
{
    /// <summary>The id of the category rules count towards when they name none.</summary>
    public const string DefaultId = "default";
}
