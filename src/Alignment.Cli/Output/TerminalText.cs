using System.Globalization;
using System.Text;

namespace Alignment.Cli.Output;

/// <summary>
/// Renders untrusted text (ids, cells, names and values from input files, and messages that quote them) so that printing it cannot
/// drive the terminal: control characters become visible escapes such as <c>\u001b</c>.
/// </summary>
/// <remarks>
/// Escaped: the C0 controls other than tab (U+0000–U+001F, so ESC, BEL, backspace, carriage return and, unless line breaks are kept,
/// line feed), DEL (U+007F), the C1 controls (U+0080–U+009F, among them CSI U+009B) and the bidirectional embedding, override and
/// isolate controls (U+202A–U+202E, U+2066–U+2069), which can make a line read differently from what it holds. Everything else,
/// letters of any script included, is kept. Backslashes are kept as they are (so paths read normally); the escapes are for people,
/// not for reversing.
/// </remarks>
internal static class TerminalText
{
    /// <summary>Renders one value (an id, a cell, a name): every control character escaped, line breaks included.</summary>
    /// <param name="text">The text; <see langword="null"/> gives an empty string.</param>
    /// <returns>The text with control characters escaped; the same instance when there is nothing to escape.</returns>
    public static string Escape(string? text) => Render(text, keepLineBreaks: false);

    /// <summary>
    /// Renders text of several lines (a message, a report, a table): like <see cref="Escape"/>, but line feeds and carriage return + line
    /// feed pairs are kept as line breaks; a carriage return on its own is escaped.
    /// </summary>
    /// <param name="text">The text; <see langword="null"/> gives an empty string.</param>
    /// <returns>The text with control characters escaped; the same instance when there is nothing to escape.</returns>
    public static string EscapeLines(string? text) => Render(text, keepLineBreaks: true);

    /// <summary>Whether a character is escaped by <see cref="Escape"/>.</summary>
    /// <param name="c">The character.</param>
    /// <returns><see langword="true"/> for the control characters listed in the remarks of <see cref="TerminalText"/>.</returns>
    public static bool IsUnsafe(char c) =>
        c < ' ' ? c != '\t' : c >= '\u007f' && (c <= '\u009f' || c is (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069'));

    private static string Render(string? text, bool keepLineBreaks)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        int first = IndexOfUnsafe(text, keepLineBreaks);
        if (first < 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length + 16);
        result.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (IsKept(text, i, keepLineBreaks))
            {
                result.Append(c);
            }
            else
            {
                result.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        return result.ToString();
    }

    private static int IndexOfUnsafe(string text, bool keepLineBreaks)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (!IsKept(text, i, keepLineBreaks))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool IsKept(string text, int i, bool keepLineBreaks)
    {
        char c = text[i];
        if (!IsUnsafe(c))
        {
            return true;
        }

        return keepLineBreaks && (c == '\n' || (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n'));
    }
}
