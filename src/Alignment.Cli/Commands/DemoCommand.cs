using System.CommandLine;
using System.Globalization;
using Alignment.Cli.Demo;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment demo [--out DIR]</c>: runs the whole pipeline (capture → score → segment → handoff → nurture → outcomes) over a
/// simulated year of bundled sample data and writes <c>DIR/report.html</c> and <c>DIR/summary.json</c>; prints the summary as a table.
/// </summary>
internal sealed class DemoCommand : ICliCommand
{
    /// <summary>The stages of the demo, in order, with what each does.</summary>
    public static IReadOnlyList<(string Stage, string What)> Pipeline { get; } =
    [
        ("capture", "take in the bundled sample leads and their activities as they happen"),
        ("score", "score fit and engagement with the signed scoring standard, and grade each lead"),
        ("segment", "put each lead in a segment with its playbook"),
        ("handoff", "route marketing-qualified leads to inside sales or field reps with a service level, and escalate breaches as the policy asks"),
        ("nurture", "keep every lead that is not ready on a nurture track until it is"),
        ("outcomes", "accept, qualify, win or lose, recycle; measure the waterfall and audit that no lead is lost"),
    ];

    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "The folder the demo writes report.html and summary.json to (created when missing).",
            HelpName = "DIR",
            DefaultValueFactory = _ => new DirectoryInfo("demo-out"),
        };
        var export = new Option<DirectoryInfo>("--export")
        {
            Description = "Also write the simulated year as CRM-export files (leads, stage history, activities, spend, plan) to this folder, for alignment report and alignment plan.",
            HelpName = "DIR",
        };
        var command = new Command("demo", "Runs the Alignment pipeline end to end over a simulated year of bundled sample data and writes an HTML report and a JSON summary.") { output, export };
        command.SetAction((parse, cancellationToken) => RunAsync(console, parse.GetRequiredValue(output), parse.GetValue(export), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, DirectoryInfo output, DirectoryInfo? export, CancellationToken cancellationToken)
    {
        if (File.Exists(output.FullName))
        {
            throw new CliInputException(output.FullName, null, "--out", "is a file; give a folder for report.html and summary.json");
        }

        if (export is not null && File.Exists(export.FullName))
        {
            throw new CliInputException(export.FullName, null, "--export", "is a file; give a folder for the exported CSV files");
        }

        var started = TimeProvider.System.GetTimestamp();
        var o = console.Out;
        await o.WriteLineAsync($"alignment {CliVersion.Current}: demo").ConfigureAwait(false);
        await o.WriteLineAsync($"Pipeline: {string.Join(" → ", Pipeline.Select(p => p.Stage))}").ConfigureAwait(false);
        var run = await DemoRunner.RunAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var (report, summary) = await DemoRunner.WriteAsync(run, output, cancellationToken).ConfigureAwait(false);
        if (export is not null)
        {
            var folder = await DemoExport.WriteAsync(run, export, cancellationToken).ConfigureAwait(false);
            await o.WriteLineAsync($"Exported the year to {folder}: {string.Join(", ", DemoExport.Files)}").ConfigureAwait(false);
        }

        await o.WriteLineAsync().ConfigureAwait(false);
        await o.WriteAsync(DemoSummary.ToTable(run)).ConfigureAwait(false);
        await o.WriteLineAsync().ConfigureAwait(false);
        var elapsed = TimeProvider.System.GetElapsedTime(started);
        await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Wrote {report} and {summary} in {elapsed.TotalSeconds:0.0} s.")).ConfigureAwait(false);
        return run.FinalAudit.LeadsWithoutOwnerOrTrack == 0 ? ExitCodes.Success : ExitCodes.InternalError;
    }
}
