using System.CommandLine;
using System.Text;
using System.Text.Json;
using Alignment.Cli.Output;
using Alignment.Models;
using Alignment.Policies.Nurture;
using Alignment.Scoring.Definitions;
using Alignment.Scoring.Governance;

namespace Alignment.Cli.Commands;

/// <summary>
/// <c>alignment validate FILE [--roster ROSTER.json] [--kind ...] [--plugin PATH.dll]...</c>: checks a scoring model (or release),
/// segmentation model, routing policy, roster or nurture policy, telling which it is from its content; prints <c>valid</c> with a summary, or every
/// problem with its JSON path and exits 1.
/// </summary>
/// <remarks>
/// Without <c>--plugin</c> a scoring model's plugin rules are checked for form only; with it, the model is also compiled with the
/// assemblies' rules, so a rule name that none of them has is a problem, and the summary says which type gives each plugin rule.
/// A routing policy's strategies and conditions and a nurture policy's step plugins (<c>"handler"</c>) are resolved against the
/// <c>--plugin</c> assemblies; a name none of them has is a problem with its JSON path.
/// </remarks>
internal sealed class ValidateCommand : ICliCommand
{
    /// <summary>The kinds of file the command checks.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["scoring", "segmentation", "policy", "roster", "nurture"];

    /// <inheritdoc />
    public Command Create(CliConsole console)
    {
        var file = new Argument<string>("FILE") { Description = "A scoring model or release, segmentation model, routing policy, roster or nurture policy (JSON)." };
        var roster = CommandInputs.FileOption("--roster", "ROSTER.json", "For a routing policy: the roster, so that pools (rep ids, teams, skills) are checked too.", required: false);
        var kind = new Option<string>("--kind") { Description = "What the file is, when its content does not tell: " + string.Join(", ", Kinds) + "." };
        kind.AcceptOnlyFromAmong([.. Kinds]);
        var plugins = PluginLoader.CreateOption();
        plugins.Description = "For a scoring model, a routing policy or a nurture policy: an assembly (.dll) of plugin scoring rules, routing plugins or nurture step plugins it refers to, so they are checked too; repeat for several. " +
            "The assembly runs with the tool's full trust: load only assemblies you built or trust.";
        var limits = CommandInputs.LimitOption();
        var command = new Command("validate", "Checks a model, policy or roster file and lists every problem with its path.") { file, roster, kind, plugins, limits };
        command.SetAction((parse, cancellationToken) => RunAsync(console, parse.GetRequiredValue(file), parse.GetRequiredValue(limits), parse.GetValue(roster), parse.GetValue(kind), parse.GetValue(plugins), cancellationToken));
        return command;
    }

    /// <summary>Tells what kind of file a JSON document is from its top-level properties.</summary>
    /// <param name="root">The document's root.</param>
    /// <returns>One of <see cref="Kinds"/>, or <see langword="null"/> when it cannot tell.</returns>
    public static string? Detect(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        // Property by property: a name whose escape is half a surrogate pair cannot be compared (System.Text.Json throws
        // InvalidOperationException), and is skipped here; the file's own loader reports it with its path.
        bool Has(string name)
        {
            foreach (var property in root.EnumerateObject())
            {
                try
                {
                    if (property.NameEquals(name))
                    {
                        return true;
                    }
                }
                catch (InvalidOperationException)
                {
                }
            }

            return false;
        }
        return Has("model") || Has("thresholds") || Has("fit") || Has("engagement") ? "scoring"
            : Has("segments") || Has("default") || Has("bands") || Has("clusterings") ? "segmentation"
            : Has("tracks") ? "nurture"
            : Has("fallbackQueue") || Has("rules") ? "policy"
            : Has("reps") || Has("accounts") ? "roster"
            : null;
    }

    private static async Task<int> RunAsync(CliConsole console, string path, ModelReadLimits limits, string? rosterPath, string? kind, string[]? pluginPaths, CancellationToken cancellationToken)
    {
        string json = CommandInputs.ReadAllText(path, "FILE", limits);

        // The first pass of every model loader, here for every kind of file: limits, properties given twice, control characters.
        var problems = ModelJsonGuard.Check(json, limits);
        bool overALimit = problems.Count > 0 && !problems[^1].Message.StartsWith("malformed JSON", StringComparison.Ordinal);
        if (kind is null)
        {
            try
            {
                using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = limits.MaxDepth + 1 });
                kind = Detect(doc.RootElement);
            }
            catch (JsonException e) when (!overALimit)
            {
                throw new CliInputException(path, (int?)e.LineNumber + 1, "$", $"malformed JSON: {e.Message.Split(" Path:")[0]}");
            }
            catch (JsonException)
            {
                // Too deep to parse within the limit: the guard's problem below names it.
            }
        }

        if (problems.Count > 0)
        {
            throw CommandInputs.Invalid(path, kind is null ? "file" : KindName(kind), problems.Select(p => (p.Path, p.Message)));
        }

        kind ??= rosterPath is not null ? "policy" : throw new CliInputException(
            path, null, "$", "cannot tell what kind of file this is (a scoring model has 'thresholds', a segmentation model 'segments', a routing policy 'rules' and 'fallbackQueue', a roster 'reps', a nurture policy 'tracks'); give --kind");

        if (pluginPaths is { Length: > 0 } && kind is not ("scoring" or "policy" or "nurture"))
        {
            throw new CliInputException(path, null, PluginLoader.OptionName, $"plugins apply only to a scoring model, a routing policy or a nurture policy, and this file is a {KindName(kind)}");
        }

        cancellationToken.ThrowIfCancellationRequested();
        string summary = kind switch
        {
            "scoring" => Scoring(path, json, limits, pluginPaths),
            "segmentation" => Segmentation(path, limits),
            "policy" => Policy(path, json, rosterPath, limits, pluginPaths),
            "nurture" => Nurture(path, json, limits, pluginPaths),
            _ => Roster(path, json, limits),
        };
        await console.Out.WriteLineAsync(TerminalText.EscapeLines(summary)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static string KindName(string kind) => kind switch
    {
        "scoring" => "scoring model",
        "segmentation" => "segmentation model",
        "policy" => "routing policy",
        "nurture" => "nurture policy",
        _ => kind,
    };

    private static string Scoring(string path, string json, ModelReadLimits limits, string[]? pluginPaths)
    {
        ScoringModelRelease release;
        try
        {
            release = ScoringModelReleaseJson.Parse(json, path, limits);
        }
        catch (ModelException e)
        {
            throw CommandInputs.Invalid(path, "scoring model", e.Errors.Select(x => (x.Path, CommandInputs.Text(x))));
        }

        var text = $"valid: scoring model {release.Id}@{release.Version} ({release.Definition.Rules.Length} rules, content hash {release.ContentHash[..12]})";
        if (pluginPaths is { Length: > 0 })
        {
            var plugins = PluginLoader.Load(pluginPaths);
            CommandInputs.CompileScoringModels(plugins, out var rules, (release.Definition, path));
            var references = release.Definition.Rules.OfType<PluginRuleDefinition>().ToList();
            text += references.Count == 0
                ? $"{Environment.NewLine}plugin rules: the model refers to none ({rules.Rules.Count} loaded)"
                : $"{Environment.NewLine}plugin rules: " + string.Join(", ", references.Select(r => $"{r.Id} -> {plugins.Describe(rules.Rules.First(x => x.Name == r.RuleName))}"));
            text += string.Concat(rules.NotCreated.Select(x => $"{Environment.NewLine}note: plugin rule {x}"));
        }

        if (!release.Approvals.IsEmpty)
        {
            var problems = release.GetPublishProblems();
            text += problems.IsEmpty
                ? $"{Environment.NewLine}publishable: approved by marketing and sales for this content"
                : $"{Environment.NewLine}not publishable yet: {string.Join("; ", problems)}";
        }

        return text;
    }

    private static string Segmentation(string path, ModelReadLimits limits)
    {
        var (model, _) = SegmentationInputs.Load(path, "FILE", limits);
        // One note per overlap: up to 124,750 for 500 definitions, so appended to a builder (repeated += copied the text each time).
        var text = new StringBuilder($"valid: segmentation model {model.Id} ({model.Definitions.Length} definitions and default '{model.Default.Id.Value}')");
        foreach (var overlap in model.Overlaps)
        {
            text.Append(Environment.NewLine).Append("note: ").Append(overlap);
        }

        return text.ToString();
    }

    private static string Policy(string path, string json, string? rosterPath, ModelReadLimits limits, string[]? pluginPaths)
    {
        var plugins = PluginLoader.Load(pluginPaths);
        string loaded = plugins.RoutingTypes.Count == 0 ? string.Empty
            : $"{Environment.NewLine}routing plugins: " + string.Join(", ", plugins.RoutingTypes.Select(t => $"{t.Type.FullName} in {t.File}"));
        if (rosterPath is not null)
        {
            var compiled = RoutingInputs.Load(path, rosterPath, limits, plugins);
            return $"valid: routing policy {compiled.Id} ({compiled.RuleIds.Length} rules) with roster {rosterPath} ({compiled.Reps.Length} reps)" + loaded;
        }

        var errors = RoutingInputs.ValidatePolicy(json, limits, plugins);
        if (errors.Count > 0)
        {
            throw CommandInputs.Invalid(path, "routing policy", errors);
        }

        return "valid: routing policy (pools not checked: give --roster to check rep ids, teams and skills)" + loaded;
    }

    private static string Nurture(string path, string json, ModelReadLimits limits, string[]? pluginPaths)
    {
        var plugins = PluginLoader.Load(pluginPaths);
        var (options, loadedPlugins) = plugins.CreateNurture(limits, path);
        NurturePolicy policy;
        try
        {
            policy = NurturePolicy.Load(json, options);
        }
        catch (ModelException e)
        {
            throw CommandInputs.Invalid(path, "nurture policy", e.Errors.Select(x => (x.Path, CommandInputs.Text(x))));
        }

        string loaded = loadedPlugins.Count == 0 ? string.Empty
            : $"{Environment.NewLine}nurture step plugins: " + string.Join(", ", loadedPlugins);
        return $"valid: nurture policy {policy.Id}@{policy.Version}" + loaded;
    }

    private static string Roster(string path, string json, ModelReadLimits limits)
    {
        var errors = RoutingInputs.ValidateRoster(json, limits);
        if (errors.Count > 0)
        {
            throw CommandInputs.Invalid(path, "roster", errors);
        }

        return "valid: roster";
    }
}
