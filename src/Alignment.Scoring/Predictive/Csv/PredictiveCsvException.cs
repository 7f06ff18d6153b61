namespace Alignment.Scoring.Predictive.Csv;

/// <summary>A predictive-scoring CSV file is malformed; the message names the file, the line and the column.</summary>
public sealed class PredictiveCsvException : FormatException
{
    /// <summary>Creates an exception for a problem at a given place in a file.</summary>
    /// <param name="fileName">The file name (or another name for the input).</param>
    /// <param name="line">The 1-based line of the record (the header is line 1).</param>
    /// <param name="column">The column name, or <see langword="null"/> when the problem is not in one column.</param>
    /// <param name="problem">What is wrong, in words a person reads.</param>
    public PredictiveCsvException(string fileName, int line, string? column, string problem)
        : base(column is null ? $"{fileName}, line {line}: {problem}" : $"{fileName}, line {line}, column '{column}': {problem}")
    {
        FileName = fileName;
        Line = line;
        Column = column;
        Problem = problem;
    }

    /// <summary>Creates an exception with a message only; prefer the constructor that names the place.</summary>
    public PredictiveCsvException()
        : this("input", 0, null, "malformed CSV")
    {
    }

    /// <summary>Creates an exception with a message only; prefer the constructor that names the place.</summary>
    /// <param name="message">The message.</param>
    public PredictiveCsvException(string message)
        : this("input", 0, null, message)
    {
    }

    /// <summary>Creates an exception with a message and its cause; prefer the constructor that names the place.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PredictiveCsvException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = "input";
        Problem = message;
    }

    /// <summary>Gets the file name (or the name given for the input).</summary>
    public string FileName { get; }

    /// <summary>Gets the 1-based line of the record; 1 is the header.</summary>
    public int Line { get; }

    /// <summary>Gets the column name, or <see langword="null"/> when the problem is not in one column.</summary>
    public string? Column { get; }

    /// <summary>Gets what is wrong, without the place.</summary>
    public string Problem { get; }
}
