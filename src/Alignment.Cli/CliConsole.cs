namespace Alignment.Cli;

/// <summary>The standard output and error streams a command writes to; tests pass <see cref="StringWriter"/>s.</summary>
/// <param name="Out">Standard output: results.</param>
/// <param name="Error">Standard error: diagnostics and error messages.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error)
{
    /// <summary>The process's own console streams.</summary>
    public static CliConsole System => new(Console.Out, Console.Error);
}
