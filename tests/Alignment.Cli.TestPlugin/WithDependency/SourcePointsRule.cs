using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Cli.TestPlugin.WithDependency;

/// <summary>Points from <see cref="Acme.PointsHelper.Points.ForSource"/>, a library only this plugin ships.</summary>
public sealed class SourcePointsRule : IScoringRule
{
    /// <summary>The name a model refers to: <c>"rule": "source-points"</c>.</summary>
    public const string RuleName = "source-points";

    /// <inheritdoc />
    public string Name => RuleName;

    /// <inheritdoc />
    public double Evaluate(Lead lead, ReadOnlySpan<LeadActivity> activities, in ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return Acme.PointsHelper.Points.ForSource(lead.Source);
    }
}
