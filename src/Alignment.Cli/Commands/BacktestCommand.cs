using System.CommandLine;
using Alignment.Cli.Csv;
using Alignment.Cli.Output;
using Alignment.Models;
using Alignment.Scoring.Backtesting;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment backtest --model M.json [--baseline B.json] --history H.csv [--activities A.csv] [--format table|json] [--plugin PATH.dll]...</c>: replays a
/// scoring model over history with known outcomes (each lead as of its own scoring instant, no look-ahead) and reports how well the
/// score predicted them; with <c>--baseline</c>, the two models side by side.
/// </summary>
internal sealed class BacktestCommand : ICliCommand
{
    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var model = CommandInputs.FileOption("--model", "M.json", "The scoring model to test (model or release file).");
        var baseline = CommandInputs.FileOption("--baseline", "B.json", "A model to compare against (for example the version in force).", required: false);
        var history = CommandInputs.FileOption("--history", "H.csv", "Leads with scoredAt, outcome (won, lost, disqualified, open) and optional closedAt.");
        var activities = CommandInputs.FileOption("--activities", "A.csv", "The leads' activities (leadId,type,timestamp[,url,campaign]).", required: false);
        var format = CommandInputs.FormatOption();
        var bandWidth = CommandInputs.NumberOption<decimal>("--band-width", "POINTS", "Width of the score bands (default 10 points).", w => w > 0 && decimal.Round(w, 2) == w, "positive with at most two decimals");
        var capacity = CommandInputs.NumberOption<int>("--capacity", "N", "Sales capacity in MQLs a month: recommend the threshold that stays within it.", n => n > 0, "a whole number of at least 1");
        var precision = CommandInputs.NumberOption<double>("--target-precision", "P", "Recommend the lowest threshold whose MQL precision reaches this (0-1).", p => p > 0 && p <= 1, "above 0 and at most 1");
        var plugins = PluginLoader.CreateOption();
        var limits = CommandInputs.LimitOption();
        var command = new Command("backtest", "Replays a scoring model over history with known outcomes and reports AUC, conversion by band and grade, calibration and thresholds.")
        {
            model, baseline, history, activities, format, bandWidth, capacity, precision, plugins, limits,
        };
        var import = ImportOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(
            console,
            import.Resolve(parse),
            parse.GetRequiredValue(model),
            parse.GetRequiredValue(limits),
            parse.GetValue(baseline),
            parse.GetRequiredValue(history),
            parse.GetValue(activities),
            parse.GetValue(format) == "json",
            new BacktestOptions
            {
                BandWidth = parse.GetValue(bandWidth) ?? 10m,
                CapacityPerMonth = parse.GetValue(capacity),
                TargetPrecision = parse.GetValue(precision),
            },
            parse.GetValue(plugins),
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, CsvImport import, string modelPath, ModelReadLimits limits, string? baselinePath, string historyPath, string? activitiesPath, bool json, BacktestOptions options, string[]? pluginPaths, CancellationToken cancellationToken)
    {
        var candidate = CommandInputs.LoadScoringRelease(modelPath, "--model", limits);
        var baseline = baselinePath is null ? null : CommandInputs.LoadScoringRelease(baselinePath, "--baseline", limits);
        var plugins = PluginLoader.Load(pluginPaths);
        var (schema, models) = baseline is null
            ? CommandInputs.CompileScoringModels(plugins, (candidate.Definition, modelPath))
            : CommandInputs.CompileScoringModels(plugins, (baseline.Definition, baselinePath!), (candidate.Definition, modelPath));

        BacktestHistory data;
        using (var history = CommandInputs.OpenText(historyPath, "--history"))
        using (var activities = activitiesPath is null ? null : CommandInputs.OpenText(activitiesPath, "--activities"))
        {
            try
            {
                data = BacktestCsv.ReadHistory(history, historyPath, activities, activitiesPath ?? "activities.csv", schema, import, cancellationToken);
            }
            catch (LeadCsvException e)
            {
                throw CommandInputs.From(e);
            }
        }

        await using var output = CommandOutput.Open(console, null);
        if (baseline is null)
        {
            var report = Backtester.Run(models[0], data, options, cancellationToken);
            await output.Writer.WriteAsync(TerminalText.EscapeLines(json ? report.ToJson() : report.ToText())).ConfigureAwait(false);
        }
        else
        {
            var comparison = Backtester.Compare(models[0], models[1], data, options, cancellationToken);
            await output.Writer.WriteAsync(TerminalText.EscapeLines(json ? comparison.ToJson() : comparison.ToText())).ConfigureAwait(false);
        }

        await output.Writer.WriteAsync('\n').ConfigureAwait(false);
        await output.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
