namespace Alignment.Policies.Nurture;

/// <summary>One problem found while loading a nurture policy.</summary>
/// <param name="Path">The JSON path of the offending value (for example <c>$.tracks[2].steps[0].kind</c>).</param>
/// <param name="Message">What is wrong and what is expected.</param>
public sealed record NurturePolicyError(string Path, string Message)
{
    /// <summary>Formats the error as <c>path: message</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Path}: {Message}";
}
