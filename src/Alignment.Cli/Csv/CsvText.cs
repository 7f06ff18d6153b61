using System.Globalization;

namespace Alignment.Cli.Csv;

/// <summary>Small helpers for writing CSV (RFC 4180 quoting) and formatting numbers in the invariant culture.</summary>
internal static class CsvText
{
    /// <summary>Writes one cell, quoted when it holds a comma, a quote or a line break.</summary>
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

    /// <summary>Writes cells separated by commas and ends the line.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="cells">The cells.</param>
    public static void WriteRow(TextWriter writer, params ReadOnlySpan<string?> cells)
    {
        for (int i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            WriteCell(writer, cells[i]);
        }

        writer.Write('\n');
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
