namespace Alignment.Segmentation.Rules;

/// <summary>Finds control characters in identifiers, which the model guard allows in free text (tab, line feed, carriage return) but ids must not hold.</summary>
internal static class IdentifierText
{
    /// <summary>The first control character (Unicode category Cc: U+0000 to U+001F, U+007F to U+009F) of a text.</summary>
    /// <param name="text">The text, or null.</param>
    /// <returns>The character, or <see langword="null"/> when there is none.</returns>
    public static char? FirstControl(string? text)
    {
        foreach (char c in text ?? string.Empty)
        {
            if (char.IsControl(c))
            {
                return c;
            }
        }

        return null;
    }
}
