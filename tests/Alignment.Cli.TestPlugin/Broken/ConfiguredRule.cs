using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Cli.TestPlugin.Broken;

/// <summary>A rule that needs a setting in its constructor, so the tool cannot create it.</summary>
/// <param name="points">The points every lead gets.</param>
public sealed class ConfiguredRule(double points) : IScoringRule
{
    /// <inheritdoc />
    public string Name => "configured";

    /// <inheritdoc />
    public double Evaluate(Lead lead, ReadOnlySpan<LeadActivity> activities, in ScoringContext context) => points;
}
