using System.Globalization;

namespace Alignment.Policies;

/// <summary>Shared wording and checks of the policy loaders: control characters in identifiers, and numbers out of their range.</summary>
internal static class PolicyText
{
    /// <summary>
    /// The first character an identifier must not hold, the same set scoring models refuse: a control character (Unicode category Cc:
    /// U+0000 to U+001F, U+007F to U+009F) or an invisible bidirectional formatting character (U+061C, U+200E, U+200F, U+202A to
    /// U+202E, U+2066 to U+2069), which can make an id read differently in a terminal or a review than it compares.
    /// </summary>
    /// <param name="text">The text, or null.</param>
    /// <returns>The character, or <see langword="null"/> when there is none.</returns>
    public static char? FirstControl(string? text)
    {
        foreach (char c in text ?? string.Empty)
        {
            if (char.IsControl(c) || c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'))
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>The message for an identifier holding a refused character (see <see cref="FirstControl"/>).</summary>
    /// <param name="c">The character.</param>
    /// <returns>The message.</returns>
    public static string ControlCharacter(char c) =>
        string.Create(CultureInfo.InvariantCulture, $"contains the {(char.IsControl(c) ? "control" : "bidirectional formatting")} character U+{(int)c:X4}; ids and names cannot contain control characters (tab and line breaks included) or bidirectional formatting characters");

    /// <summary>The text <c>; the allowed range is min to max unit</c> appended to a range error.</summary>
    /// <param name="min">The smallest value allowed.</param>
    /// <param name="max">The largest value allowed.</param>
    /// <param name="unit">The unit and any explanation (for example <c> minutes (365 days)</c>), with its leading space; may be empty.</param>
    /// <returns>The text.</returns>
    public static string Range(long min, long max, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"; the allowed range is {min:N0} to {max:N0}{unit}");

    /// <summary>The message for a number over its maximum.</summary>
    /// <param name="value">The value found.</param>
    /// <param name="min">The smallest value allowed.</param>
    /// <param name="max">The largest value allowed.</param>
    /// <param name="unit">The unit, with its leading space; may be empty.</param>
    /// <returns>The message.</returns>
    public static string TooLarge(long value, long min, long max, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"must be at most {max:N0} (was {value})") + Range(min, max, unit);
}
