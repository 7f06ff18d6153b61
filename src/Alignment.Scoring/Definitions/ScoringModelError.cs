namespace Alignment.Scoring.Definitions;

/// <summary>One problem found in a scoring model, with where it is.</summary>
/// <param name="Path">The JSON path of the offending element, such as <c>$.fit[3].when.between</c>.</param>
/// <param name="Message">What is wrong.</param>
public readonly record struct ScoringModelError(string Path, string Message)
{
    /// <summary>Writes <c>path: message</c>.</summary>
    /// <returns>The error's text.</returns>
    public override string ToString() => $"{Path}: {Message}";
}
