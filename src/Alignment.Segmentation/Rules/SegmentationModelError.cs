namespace Alignment.Segmentation.Rules;

/// <summary>One problem found while loading a segmentation model.</summary>
/// <param name="Path">The JSON path of the offending value (for example <c>$.segments[2].when[0].field</c>).</param>
/// <param name="Message">What is wrong.</param>
public sealed record SegmentationModelError(string Path, string Message)
{
    /// <summary>Formats the error as <c>path: message</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Path}: {Message}";
}
