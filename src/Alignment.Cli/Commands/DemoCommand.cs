using System.CommandLine;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment demo [--out DIR]</c>: runs the whole pipeline on bundled sample data. For now it prints the version and the
/// pipeline it will run; the full demo is built by a later issue.
/// </summary>
internal sealed class DemoCommand : ICliCommand
{
    /// <summary>The stages of the demo, in order, with what each will do.</summary>
    public static IReadOnlyList<(string Stage, string What)> Pipeline { get; } =
    [
        ("capture", "read the bundled sample leads and their activities"),
        ("score", "score fit and engagement with the shared scoring model, and grade each lead"),
        ("segment", "put each lead in a segment with its playbook"),
        ("handoff", "route marketing-qualified leads to reps with a service level"),
        ("nurture", "enrol leads that are not ready on a nurture track"),
        ("outcomes", "report won/lost outcomes and the demand waterfall"),
    ];

    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "The folder the demo writes its reports to.",
            HelpName = "DIR",
            DefaultValueFactory = _ => new DirectoryInfo("demo-out"),
        };
        var command = new Command("demo", "Runs the Alignment pipeline end to end on bundled sample data.") { output };
        command.SetAction((parse, cancellationToken) => RunAsync(console, parse.GetRequiredValue(output), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, DirectoryInfo output, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var o = console.Out;
        await o.WriteLineAsync($"alignment {CliVersion.Current}").ConfigureAwait(false);
        await o.WriteLineAsync($"Pipeline: {string.Join(" → ", Pipeline.Select(p => p.Stage))}").ConfigureAwait(false);
        for (int i = 0; i < Pipeline.Count; i++)
        {
            await o.WriteLineAsync($"  {i + 1}. {Pipeline[i].Stage,-9} {Pipeline[i].What}").ConfigureAwait(false);
        }

        await o.WriteLineAsync($"Output folder: {output.FullName}").ConfigureAwait(false);
        await o.WriteLineAsync("The full demo is not built yet: this version only prints the pipeline it will run and writes nothing.").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
