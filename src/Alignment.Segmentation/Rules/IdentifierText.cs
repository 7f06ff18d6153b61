namespace Alignment.Segmentation.Rules;

/// <summary>
/// Finds the characters identifiers must not hold, the same set scoring models refuse: control characters (which the model guard
/// allows in free text: tab, line feed, carriage return) and the invisible bidirectional formatting characters.
/// </summary>
internal static class IdentifierText
{
    /// <summary>
    /// The first refused character of a text: a control character (Unicode category Cc: U+0000 to U+001F, U+007F to U+009F) or an
    /// invisible bidirectional formatting character (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), which can make an
    /// identifier read differently in a terminal or a review than it compares.
    /// </summary>
    /// <param name="text">The text, or null.</param>
    /// <returns>The character, or <see langword="null"/> when there is none.</returns>
    public static char? FirstControl(string? text)
    {
        foreach (char c in text ?? string.Empty)
        {
            if (IsRefused(c))
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>The words for a refused character in a message: <c>control character</c> or <c>bidirectional formatting character</c>.</summary>
    /// <param name="c">The character.</param>
    /// <returns>The words.</returns>
    public static string Kind(char c) => char.IsControl(c) ? "control character" : "bidirectional formatting character";

    private static bool IsRefused(char c) =>
        char.IsControl(c) || c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
