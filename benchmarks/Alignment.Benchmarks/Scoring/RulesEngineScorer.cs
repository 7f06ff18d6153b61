using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using RulesEngine.Models;

namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// The 40 peer rules run by Microsoft RulesEngine 6.0.1 from the workflow document embedded in this assembly
/// (<c>Scoring/rulesengine.workflow.json</c>, lambda expressions over a <see cref="PeerLead"/> parameter named <c>lead</c>).
/// Each lead is one <c>ExecuteAllRulesAsync</c> call; the points (each rule's <c>SuccessEvent</c>) of the successful rules are
/// summed here, because RulesEngine's built-in OnSuccess action fires for the first success only.
/// </summary>
/// <remarks>RulesEngine compiles and caches the workflow on first use; the engine instance is safe to share between threads.</remarks>
public sealed class RulesEngineScorer
{
    /// <summary>The workflow's name in the embedded document.</summary>
    public const string WorkflowName = "LeadScoring";

    private const string ResourceName = "Alignment.Benchmarks.Scoring.rulesengine.workflow.json";

    // Made read-only by its first use; the enum converter reads "RuleExpressionType": "LambdaExpression".
    private static readonly JsonSerializerOptions WorkflowJsonOptions = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly RulesEngine.RulesEngine _engine;

    /// <summary>Loads the embedded workflow and creates the engine.</summary>
    public RulesEngineScorer()
    {
        Workflows = LoadWorkflows();
        _engine = new RulesEngine.RulesEngine(Workflows, new ReSettings());
    }

    /// <summary>The workflows read from the embedded document.</summary>
    public Workflow[] Workflows { get; }

    /// <summary>Scores one lead.</summary>
    /// <param name="lead">The lead.</param>
    /// <returns>The sum of the <c>SuccessEvent</c> points of the rules that succeeded.</returns>
    public async ValueTask<int> ScoreAsync(PeerLead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        List<RuleResultTree> results = await _engine.ExecuteAllRulesAsync(WorkflowName, new RuleParameter("lead", lead)).ConfigureAwait(false);
        int score = 0;
        foreach (RuleResultTree result in results)
        {
            if (result.IsSuccess)
            {
                score += int.Parse(result.Rule.SuccessEvent, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            }
            else if (result.ExceptionMessage is { Length: > 0 } message)
            {
                throw new InvalidOperationException($"RulesEngine rule '{result.Rule.RuleName}' failed on lead {lead.Index}: {message}");
            }
        }

        return score;
    }

    private static Workflow[] LoadWorkflows()
    {
        using Stream stream = typeof(RulesEngineScorer).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource '{ResourceName}' is missing from the benchmark assembly.");
        return JsonSerializer.Deserialize<Workflow[]>(stream, WorkflowJsonOptions)
            ?? throw new InvalidOperationException($"The embedded resource '{ResourceName}' holds no workflow.");
    }
}
