namespace Alignment.Cli;

/// <summary>The exit codes of the <c>alignment</c> tool.</summary>
internal static class ExitCodes
{
    /// <summary>The command did its work.</summary>
    public const int Success = 0;

    /// <summary>An input file or value was malformed; standard error names the file, line and field.</summary>
    public const int BadInput = 1;

    /// <summary>The command line could not be parsed (unknown command or option, missing or malformed argument).</summary>
    public const int UsageError = 2;

    /// <summary>The tool failed in a way that is not the user's fault (a bug); standard error has the details.</summary>
    public const int InternalError = 3;

    /// <summary>The run was cancelled (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
