using System.Globalization;
using Alignment.Cli.Output;

namespace Alignment.Cli.Csv;

/// <summary>
/// Small helpers for the CSV the tool writes: RFC 4180 quoting, the neutralising of input text that a spreadsheet would run as a
/// formula, and numbers in the invariant culture. Commands write rows through <see cref="CsvOutputWriter"/>, which uses these.
/// </summary>
internal static class CsvText
{
    /// <summary>The characters that make a spreadsheet (Excel, LibreOffice Calc, Google Sheets) read a cell as a formula.</summary>
    public const string FormulaStarts = "=+-@\t\r";

    /// <summary>Writes one cell as it is, quoted when it holds a comma, a quote or a line break (RFC 4180).</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="text">The cell text; <see langword="null"/> writes an empty cell.</param>
    public static void WriteCell(TextWriter writer, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (text.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(text);
            return;
        }

        writer.Write('"');
        writer.Write(text.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }

    /// <summary>
    /// Makes text from an input file safe to open in a spreadsheet and to print: a cell that starts with <c>=</c>, <c>+</c>, <c>-</c>,
    /// <c>@</c>, a tab or a carriage return gets a single quote (<c>'</c>) in front, unless it is a plain decimal number such as
    /// <c>-5</c> or <c>+12.5</c>; then its control characters are escaped as <see cref="TerminalText.Escape"/> does.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The safe text; the same instance when nothing needed changing.</returns>
    public static string Neutralise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string safe = TerminalText.Escape(text);
        return text.Length > 0 && FormulaStarts.Contains(text[0], StringComparison.Ordinal) && !IsPlainNumber(text) ? "'" + safe : safe;
    }

    /// <summary>Whether text is a plain decimal number: an optional sign, digits, and optionally a point and more digits.</summary>
    /// <param name="text">The text.</param>
    /// <returns><see langword="true"/> for <c>-5</c>, <c>+12.5</c>, <c>7</c>; <see langword="false"/> for <c>-1+1</c>, <c>-</c>, <c>1e5</c>.</returns>
    public static bool IsPlainNumber(ReadOnlySpan<char> text)
    {
        if (text.Length > 0 && text[0] is '+' or '-')
        {
            text = text[1..];
        }

        int point = text.IndexOf('.');
        var whole = point < 0 ? text : text[..point];
        var fraction = point < 0 ? "1".AsSpan() : text[(point + 1)..];
        return whole.Length > 0 && fraction.Length > 0 && !whole.ContainsAnyExceptInRange('0', '9') && !fraction.ContainsAnyExceptInRange('0', '9');
    }

    /// <summary>Formats points: invariant culture, up to two decimals (<c>15</c>, <c>12.5</c>, <c>-3.25</c>).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The text.</returns>
    public static string Points(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Formats a number with up to <paramref name="decimals"/> decimals in the invariant culture.</summary>
    /// <param name="value">The value.</param>
    /// <param name="decimals">The most decimals.</param>
    /// <returns>The text; <c>NaN</c> for not-a-number.</returns>
    public static string Number(double value, int decimals) =>
        double.IsNaN(value) ? "NaN" : Math.Round(value, decimals).ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);
}
