using System.CommandLine;

namespace Alignment.Cli.Csv;

/// <summary>
/// Writes the CSV of a command, one cell at a time: every CSV the tool writes goes through here. A cell is either text from input
/// (<see cref="Text"/>: ids, names, segment, rule and queue names, reasons and explanations, which a spreadsheet could run as a formula
/// or which could carry terminal escapes) or a value the command computed itself (<see cref="Value"/>: numbers, dates, grades, states),
/// written as it is, so a negative score stays a number.
/// </summary>
/// <remarks>
/// By default text cells are neutralised with <see cref="CsvText.Neutralise"/>; with <c>--csv-raw</c> (<paramref name="raw"/>) they
/// are written as they came. Either way cells are quoted per RFC 4180 when they hold a comma, a quote or a line break, and rows end
/// with <c>\n</c>.
/// </remarks>
/// <param name="writer">Where the CSV goes (not closed).</param>
/// <param name="raw">Whether text cells are written as they came.</param>
internal sealed class CsvOutputWriter(TextWriter writer, bool raw)
{
    /// <summary>The option that writes text cells as they came.</summary>
    public const string RawOptionName = "--csv-raw";

    private bool _rowStarted;

    /// <summary>Creates the <c>--csv-raw</c> option.</summary>
    /// <returns>The option.</returns>
    public static Option<bool> CreateRawOption() => new(RawOptionName)
    {
        Description = "Write text from the input files (ids, names, reasons) as it came. By default a text cell that starts with " +
            "=, +, -, @, a tab or a carriage return gets a ' in front (so a spreadsheet does not run it as a formula) and control " +
            "characters are written as \\u001b-style escapes.",
    };

    /// <summary>Writes the header row, a constant of the command (written as it is).</summary>
    /// <param name="columns">The column names.</param>
    public void Header(params ReadOnlySpan<string> columns)
    {
        foreach (var column in columns)
        {
            Value(column);
        }

        EndRow();
    }

    /// <summary>Writes a text cell from input: neutralised unless raw.</summary>
    /// <param name="text">The text; <see langword="null"/> or empty writes an empty cell.</param>
    /// <returns>This writer.</returns>
    public CsvOutputWriter Text(string? text) =>
        Value(raw || string.IsNullOrEmpty(text) ? text : CsvText.Neutralise(text));

    /// <summary>Writes a cell the command computed (a number, an instant, a grade or state name): quoted if needed, never neutralised.</summary>
    /// <param name="text">The text; <see langword="null"/> or empty writes an empty cell.</param>
    /// <returns>This writer.</returns>
    public CsvOutputWriter Value(string? text)
    {
        if (_rowStarted)
        {
            writer.Write(',');
        }

        _rowStarted = true;
        CsvText.WriteCell(writer, text);
        return this;
    }

    /// <summary>Ends the row.</summary>
    public void EndRow()
    {
        writer.Write('\n');
        _rowStarted = false;
    }
}
