namespace Alignment.Models;

/// <summary>One problem found while reading a model file before its content is interpreted: where it is and what is wrong.</summary>
/// <param name="Path">The JSON path of the offending element, such as <c>$.fit[3].when.in</c>, or <c>$</c> for the whole file; a syntax error adds the line and position.</param>
/// <param name="Message">What is wrong and, for a limit, which one and how to raise it.</param>
public readonly record struct ModelReadError(string Path, string Message)
{
    /// <summary>Writes <c>path: message</c>.</summary>
    /// <returns>The error's text.</returns>
    public override string ToString() => $"{Path}: {Message}";
}
