namespace Alignment.Cli.Csv;

/// <summary>A lead, history, activities or predictive-scoring CSV file is malformed; the message names the file, the line and the column.</summary>
internal sealed class LeadCsvException : FormatException
{
    /// <summary>Creates an exception for a problem at a given place in a file.</summary>
    /// <param name="fileName">The file name.</param>
    /// <param name="line">The 1-based line in the file (the header is line 1).</param>
    /// <param name="column">The column name, or <see langword="null"/> when the problem is not in one column.</param>
    /// <param name="problem">What is wrong.</param>
    public LeadCsvException(string fileName, int line, string? column, string problem)
        : base(column is null ? $"{fileName}, line {line}: {problem}" : $"{fileName}, line {line}, column '{column}': {problem}")
    {
        FileName = fileName;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>Creates the exception; prefer the constructor that names the place.</summary>
    public LeadCsvException()
        : this("input", 0, null, "malformed CSV")
    {
    }

    /// <summary>Creates the exception with a message; prefer the constructor that names the place.</summary>
    /// <param name="message">The message.</param>
    public LeadCsvException(string message)
        : this("input", 0, null, message)
    {
    }

    /// <summary>Creates the exception with a message and a cause; prefer the constructor that names the place.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public LeadCsvException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = "input";
        Problem = message;
    }

    /// <summary>The file name.</summary>
    public string FileName { get; }

    /// <summary>
    /// The 1-based line in the file (the header is line 1): where the record starts, or, for a malformed record (a stray or unclosed
    /// quote, an extra cell), the line of the character at fault, whose column the <see cref="Problem"/> names.
    /// </summary>
    public int Line { get; }

    /// <summary>The column, or <see langword="null"/>.</summary>
    public string? Column { get; }

    /// <summary>What is wrong, without the place.</summary>
    public string Problem { get; }
}
