using System.Globalization;
using Alignment.Cli.Demo;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Policies.Handoff;
using Alignment.Policies.Nurture;
using Alignment.Scoring;
using Alignment.Scoring.Definitions;
using Alignment.Segmentation.Rules;

namespace Alignment.Cli.Commands;

/// <summary>
/// The models every tenant of <c>alignment serve</c> runs: the bundled sample models, or the files of a <c>--models</c> folder,
/// read and checked once at start-up with the loaders the tenants use, so a bad file stops the server before it listens and the
/// error names the file and the JSON path.
/// </summary>
/// <param name="Scoring">The scoring model's JSON.</param>
/// <param name="Segmentation">The segmentation model's JSON, if any.</param>
/// <param name="RoutingPolicy">The routing policy's JSON, if any (with <paramref name="Roster"/>).</param>
/// <param name="Roster">The roster's JSON, if any (with <paramref name="RoutingPolicy"/>).</param>
/// <param name="Nurture">The nurture policy's JSON, if any.</param>
/// <param name="Schema">The leads' custom attributes: those the scoring model declares, then those the segmentation model reads.</param>
/// <param name="Description">What was loaded, one line for the start-up summary.</param>
internal sealed record ServeModels(string Scoring, string? Segmentation, string? RoutingPolicy, string? Roster, string? Nurture, AttributeSchema Schema, string Description)
{
    /// <summary>The scoring model's file name in a <c>--models</c> folder (required).</summary>
    public const string ScoringFile = "scoring-model.json";

    /// <summary>The segmentation model's file name (optional).</summary>
    public const string SegmentationFile = "segmentation-model.json";

    /// <summary>The routing policy's file name (optional; needs <see cref="RosterFile"/>).</summary>
    public const string RoutingPolicyFile = "routing-policy.json";

    /// <summary>The roster's file name (optional; needs <see cref="RoutingPolicyFile"/>).</summary>
    public const string RosterFile = "roster.json";

    /// <summary>The nurture policy's file name (optional).</summary>
    public const string NurtureFile = "nurture-policy.json";

    /// <summary>The bundled sample company's models, as <c>alignment demo</c> runs them.</summary>
    /// <returns>The models.</returns>
    public static ServeModels Bundled() => new(
        DemoModels.ScoringModelText, DemoModels.SegmentationModelText, DemoModels.RoutingPolicyText, DemoModels.RosterText, DemoModels.NurturePolicyText,
        AttributeSchema.Empty,
        "the bundled sample models (scoring brightwave-lead-standard@3.2.0, segmentation, handoff with roster, nurture)");

    /// <summary>Reads and checks the model files of a folder.</summary>
    /// <param name="folder">The folder, as given with <c>--models</c>.</param>
    /// <returns>The models.</returns>
    /// <exception cref="CliInputException">
    /// The folder or the scoring model is missing, one of the routing policy and roster is there without the other, or a file
    /// is unreadable, too large or invalid: the message names the file and every problem's JSON path.
    /// </exception>
    public static ServeModels Load(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new CliInputException(folder, null, "--models", File.Exists(folder) ? "is a file; give the folder that holds " + ScoringFile + " and the other model files" : "the folder does not exist");
        }

        var limits = new ModelReadLimits();
        string PathOf(string name) => Path.Combine(folder, name);
        string? Read(string name, bool required)
        {
            string path = PathOf(name);
            if (!File.Exists(path))
            {
                return required ? throw new CliInputException(path, null, "--models", $"the file does not exist; a models folder needs at least {ScoringFile} (and optionally {SegmentationFile}, {RoutingPolicyFile} with {RosterFile}, {NurtureFile})") : null;
            }

            return CommandInputs.ReadAllText(path, "--models", limits);
        }

        string scoringPath = PathOf(ScoringFile);
        string scoring = Read(ScoringFile, required: true)!;
        string? segmentation = Read(SegmentationFile, required: false);
        string? policy = Read(RoutingPolicyFile, required: false);
        string? roster = Read(RosterFile, required: false);
        string? nurture = Read(NurtureFile, required: false);
        if ((policy is null) != (roster is null))
        {
            string missing = PathOf(policy is null ? RoutingPolicyFile : RosterFile);
            throw new CliInputException(missing, null, "--models", $"the file does not exist, but {(policy is null ? RosterFile : RoutingPolicyFile)} does: handoff needs both the routing policy and the roster");
        }

        // Scoring: the attributes the model declares, then the model compiled against them (as AddScoring will).
        ScoringModelDefinition definition;
        try
        {
            definition = ScoringModelJson.Parse(scoring, scoringPath, limits);
        }
        catch (ModelException e)
        {
            throw CommandInputs.Invalid(scoringPath, "scoring model", e.Errors.Select(x => (x.Path, CommandInputs.Text(x))));
        }

        var (schema, models) = CommandInputs.CompileScoringModels(PluginRules.None, (definition, scoringPath));
        var loaded = new List<string> { string.Create(CultureInfo.InvariantCulture, $"scoring {models[0].Id}@{models[0].Version}") };

        if (segmentation is not null)
        {
            string path = PathOf(SegmentationFile);
            try
            {
                schema = Merge(schema, SegmentationInputs.InferSchema(SegmentationModelLoader.ReadDocument(segmentation, limits)));
                SegmentationModel.Load(segmentation, new SegmentationLoadOptions { Document = path, Schema = schema, Limits = limits });
            }
            catch (ModelException e)
            {
                throw CommandInputs.Invalid(path, "segmentation model", e.Errors.Select(x => (x.Path, CommandInputs.Text(x))));
            }

            loaded.Add("segmentation");
        }

        if (policy is not null)
        {
            try
            {
                CompiledRoutingPolicy.Load(policy, roster!, new ModelLoadOptions { Limits = limits });
            }
            catch (ModelException e)
            {
                throw RoutingInputs.Invalid(e, PathOf(RoutingPolicyFile), PathOf(RosterFile));
            }

            loaded.Add("handoff with roster");
        }

        if (nurture is not null)
        {
            string path = PathOf(NurtureFile);
            try
            {
                NurturePolicy.Load(nurture, new ModelLoadOptions { Document = path, Limits = limits });
            }
            catch (ModelException e)
            {
                throw CommandInputs.Invalid(path, "nurture policy", e.Errors.Select(x => (x.Path, CommandInputs.Text(x))));
            }

            loaded.Add("nurture");
        }

        return new ServeModels(scoring, segmentation, policy, roster, nurture, schema, $"{folder} ({string.Join(", ", loaded)})");
    }

    private static AttributeSchema Merge(AttributeSchema first, AttributeSchema second)
    {
        var definitions = first.Definitions.ToList();
        foreach (var definition in second.Definitions)
        {
            if (!first.TryGetOrdinal(definition.Name, out _))
            {
                definitions.Add(definition);
            }
        }

        return new AttributeSchema(definitions);
    }
}
