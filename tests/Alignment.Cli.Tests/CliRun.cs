namespace Alignment.Cli.Tests;

/// <summary>Runs the tool in-process with captured output.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public static Task<CliRun> RunAsync(params string[] args) => RunAsync(Program.Commands, args);

    public static async Task<CliRun> RunAsync(IEnumerable<ICliCommand> commands, string[] args, CancellationToken cancellationToken = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await CliApp.RunAsync(args, new CliConsole(output, error), commands, cancellationToken);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
