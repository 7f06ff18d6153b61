using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Cli.TestPlugin;

/// <summary>A fixed 7.5 points for every lead, created with its parameterless constructor.</summary>
public sealed class LoyaltyBonusRule : IScoringRule
{
    /// <summary>The name a model refers to: <c>"rule": "loyalty-bonus"</c>.</summary>
    public const string RuleName = "loyalty-bonus";

    /// <summary>The points every lead gets.</summary>
    public const double Points = 7.5;

    /// <inheritdoc />
    public string Name => RuleName;

    /// <inheritdoc />
    public double Evaluate(Lead lead, ReadOnlySpan<LeadActivity> activities, in ScoringContext context) => Points;
}
