using System.CommandLine;
using Alignment.Scoring.Governance;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment diff OLD.json NEW.json [--format text|json]</c>: what changed between two versions of a scoring model: settings and
/// thresholds, rules added, removed and changed (with old and new points, conditions, caps and decay).
/// </summary>
internal sealed class DiffCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var from = new Argument<string>("OLD.json") { Description = "The earlier version (model or release file)." };
        var to = new Argument<string>("NEW.json") { Description = "The later version (model or release file)." };
        var format = CommandInputs.FormatOption("text");
        var command = new Command("diff", "Shows what changed between two versions of a scoring model.") { from, to, format };
        command.SetAction((parse, cancellationToken) => RunAsync(console, parse.GetRequiredValue(from), parse.GetRequiredValue(to), parse.GetValue(format) == "json", cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, string fromPath, string toPath, bool json, CancellationToken cancellationToken)
    {
        var from = CommandInputs.LoadScoringRelease(fromPath, "OLD.json");
        var to = CommandInputs.LoadScoringRelease(toPath, "NEW.json");
        cancellationToken.ThrowIfCancellationRequested();
        var diff = ScoringModelDiff.Compare(from.Definition, to.Definition);
        string text = json ? diff.ToJson() : diff.ToText();
        await console.Out.WriteAsync(text.EndsWith('\n') ? text : text + "\n").ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
