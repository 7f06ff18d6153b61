using System.Globalization;
using System.Text;

namespace Alignment.Cli;

/// <summary>
/// Thrown by a command when its input is malformed. The tool prints <see cref="Exception.Message"/>, which names the
/// file, line and field, to standard error and exits with <see cref="ExitCodes.BadInput"/>.
/// </summary>
internal sealed class CliInputException : Exception
{
    /// <summary>Creates the exception for a problem at a place in an input file.</summary>
    /// <param name="file">The input file, as the user named it.</param>
    /// <param name="line">The 1-based line, when the problem is on one line.</param>
    /// <param name="field">The field (column, JSON path or option), when the problem is in one field.</param>
    /// <param name="problem">What is wrong, for example <c>not a whole number ('abc')</c>.</param>
    public CliInputException(string file, int? line, string? field, string problem)
        : base(Format(file, line, field, problem))
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    /// <summary>Creates the exception.</summary>
    public CliInputException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public CliInputException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CliInputException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The input file.</summary>
    public string? File { get; }

    /// <summary>The 1-based line.</summary>
    public int? Line { get; }

    /// <summary>The field.</summary>
    public string? Field { get; }

    /// <summary>What is wrong.</summary>
    public string? Problem { get; }

    private static string Format(string file, int? line, string? field, string problem)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        ArgumentException.ThrowIfNullOrWhiteSpace(problem);
        var text = new StringBuilder(file);
        if (line is int l)
        {
            text.Append(CultureInfo.InvariantCulture, $", line {l}");
        }

        if (!string.IsNullOrEmpty(field))
        {
            text.Append(CultureInfo.InvariantCulture, $", field '{field}'");
        }

        return text.Append(": ").Append(problem).ToString();
    }
}
