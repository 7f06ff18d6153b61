using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Alignment.Activities;
using Alignment.Cli.Csv;
using Alignment.Cli.Output;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Scoring;
using Alignment.Scoring.Governance;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment diff OLD.json NEW.json [--format text|json] [--leads L.csv [--activities A.csv] [--as-of T] [--examples N] [--plugin PATH.dll]...]</c>:
/// what changed between two versions of a scoring model: settings and thresholds, rules added, removed and changed (with old and
/// new points, conditions, caps and decay). With <c>--leads</c>, also what the change would do to those leads: both versions score
/// every lead at one instant and an <see cref="ImpactPreview"/> counts the leads newly MQL, no longer MQL, newly or no longer hot,
/// and moving grade, with example lead ids.
/// </summary>
/// <remarks>
/// The impact preview needs every lead at once (both models score the whole batch); the activities file is read first and grouped
/// by lead, like <c>score</c>. Every activity must belong to a lead of the leads file, and lead ids must be unique.
/// </remarks>
/// <param name="time">The clock for the default <c>--as-of</c>; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
internal sealed class DiffCommand(TimeProvider? time = null) : ICliCommand
{
    /// <summary>The property of the JSON output that holds the impact preview (only with <c>--leads</c>).</summary>
    public const string ImpactProperty = "impact";

    /// <summary>The number of example leads kept per kind of change when <c>--examples</c> is not given.</summary>
    public const int DefaultExamples = 5;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var from = new Argument<string>("OLD.json") { Description = "The earlier version (model or release file)." };
        var to = new Argument<string>("NEW.json") { Description = "The later version (model or release file)." };
        var format = CommandInputs.FormatOption("text");
        var leads = CommandInputs.FileOption("--leads", "L.csv", "Also preview the impact on these leads (CSV; columns in docs/data-formats.md): both versions score every lead.", required: false);
        var activities = CommandInputs.FileOption("--activities", "A.csv", "The leads' activities for the impact preview (CSV: leadId,type,timestamp[,url,campaign]); needs --leads.", required: false);
        var asOf = CommandInputs.InstantOption("--as-of", "The scoring instant of the impact preview (ISO 8601); activities after it never count. Default: now. Needs --leads.");
        var examples = CommandInputs.NumberOption<int>("--examples", "N", $"The most example leads listed per kind of change in the impact preview (default {DefaultExamples}). Needs --leads.", n => n > 0, "a whole number of at least 1");
        var plugins = PluginLoader.CreateOption();
        plugins.Description = "An assembly (.dll) of plugin scoring rules that the models refer to, for the impact preview; repeat for several. Needs --leads. " +
            "The assembly runs with the tool's full trust: load only assemblies you built or trust.";
        var limits = CommandInputs.LimitOption();
        var command = new Command("diff", "Shows what changed between two versions of a scoring model and, with --leads, what the change would do to those leads.")
        {
            from, to, format, leads, activities, asOf, examples, plugins, limits,
        };
        var import = ImportOptions.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetResult(leads) is not null)
            {
                return;
            }

            foreach (Option option in new Option[] { activities, asOf, examples, plugins, import.From, import.Map, import.Culture, import.DateFormat, import.TimeZone })
            {
                if (result.GetResult(option) is not null)
                {
                    result.AddError($"{option.Name} needs --leads (it only applies to the impact preview).");
                }
            }
        });
        command.SetAction((parse, cancellationToken) => RunAsync(
            console,
            parse.GetRequiredValue(from),
            parse.GetRequiredValue(to),
            parse.GetRequiredValue(limits),
            parse.GetValue(format) == "json",
            parse.GetValue(leads) is string leadsPath
                ? new ImpactInputs(leadsPath, parse.GetValue(activities), parse.GetValue(asOf) ?? _time.GetUtcNow(), parse.GetValue(examples) ?? DefaultExamples, parse.GetValue(plugins), import.Resolve(parse))
                : null,
            cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(CliConsole console, string fromPath, string toPath, ModelReadLimits limits, bool json, ImpactInputs? impactInputs, CancellationToken cancellationToken)
    {
        var from = CommandInputs.LoadScoringRelease(fromPath, "OLD.json", limits);
        var to = CommandInputs.LoadScoringRelease(toPath, "NEW.json", limits);
        cancellationToken.ThrowIfCancellationRequested();
        var diff = ScoringModelDiff.Compare(from.Definition, to.Definition);
        string text;
        if (impactInputs is null)
        {
            text = json ? diff.ToJson() : diff.ToText();
        }
        else
        {
            // Both versions against one schema holding every attribute either declares, as backtest does with --baseline.
            var (schema, models) = CommandInputs.CompileScoringModels(PluginLoader.Load(impactInputs.PluginPaths), (from.Definition, fromPath), (to.Definition, toPath));
            var impact = ComputeImpact(console, models[0], models[1], schema, impactInputs, cancellationToken);
            text = json ? WithImpact(diff.ToJson(), impact.ToJson()) : End(diff.ToText()) + "\n" + impact.ToText();
        }

        // Model text (rule ids, change notes) and lead ids reach the terminal: control characters are escaped. JSON holds none raw
        // but DEL and C1 controls; their escapes (\u007f) are valid JSON string escapes of the same characters.
        await console.Out.WriteAsync(TerminalText.EscapeLines(End(text))).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private ImpactPreview ComputeImpact(CliConsole console, ScoringModel from, ScoringModel to, AttributeSchema schema, ImpactInputs inputs, CancellationToken cancellationToken)
    {
        ActivityCsvFile? activityIndex = null;
        if (inputs.ActivitiesPath is not null)
        {
            using var reader = CommandInputs.OpenText(inputs.ActivitiesPath, "--activities");
            var activityProgress = new CsvProgress(console, inputs.ActivitiesPath, _time);
            try
            {
                activityIndex = ActivityCsvFile.Read(reader, inputs.ActivitiesPath, inputs.Import, activityProgress, cancellationToken);
            }
            catch (LeadCsvException e)
            {
                throw CommandInputs.From(e);
            }

            activityProgress.Complete(activityIndex.Count);
        }

        var leads = new List<Lead>();
        var flat = new List<LeadActivity>();
        var offsets = new List<int> { 0 };
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var progress = new CsvProgress(console, inputs.LeadsPath, _time);
        using (var reader = CommandInputs.OpenText(inputs.LeadsPath, "--leads"))
        {
            try
            {
                using var csv = new LeadCsvReader(reader, inputs.LeadsPath, schema, inputs.Import);
                while (csv.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var lead = csv.Current;
                    if (!ids.Add(lead.Id.Value))
                    {
                        throw new CliInputException(inputs.LeadsPath, csv.Line, LeadCsvReader.IdColumn, $"lead '{lead.Id.Value}' appears twice");
                    }

                    leads.Add(lead);
                    if (activityIndex is not null)
                    {
                        flat.AddRange(activityIndex.Take(lead.Id.Value));
                        offsets.Add(flat.Count);
                    }

                    progress.Report(leads.Count);
                }

                activityIndex?.EnsureAllTaken(inputs.LeadsPath);
            }
            catch (LeadCsvException e)
            {
                throw CommandInputs.From(e);
            }
        }

        progress.Complete(leads.Count);
        var leadActivities = activityIndex is null ? LeadActivities.None : new LeadActivities(flat.ToArray(), offsets.ToArray());
        return ImpactPreview.Compute(from, to, leads.ToArray(), leadActivities, inputs.AsOf, inputs.Examples, cancellationToken);
    }

    /// <summary>Adds the impact preview to the diff's JSON object as <see cref="ImpactProperty"/>, keeping every diff property first.</summary>
    private static string WithImpact(string diffJson, string impactJson)
    {
        using var diff = JsonDocument.Parse(diffJson);
        using var impact = JsonDocument.Parse(impactJson);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            foreach (var property in diff.RootElement.EnumerateObject())
            {
                property.WriteTo(writer);
            }

            writer.WritePropertyName(ImpactProperty);
            impact.RootElement.WriteTo(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string End(string text) => text.EndsWith('\n') ? text : text + "\n";

    /// <summary>The options of the impact preview.</summary>
    /// <param name="LeadsPath">The leads file.</param>
    /// <param name="ActivitiesPath">The activities file, if any.</param>
    /// <param name="AsOf">The scoring instant.</param>
    /// <param name="Examples">The most examples per kind of change.</param>
    /// <param name="PluginPaths">The <c>--plugin</c> assemblies, if any.</param>
    /// <param name="Import">How to read the leads and activities (<c>--from</c>, <c>--map</c>, …).</param>
    private sealed record ImpactInputs(string LeadsPath, string? ActivitiesPath, DateTimeOffset AsOf, int Examples, string[]? PluginPaths, CsvImport Import);
}
