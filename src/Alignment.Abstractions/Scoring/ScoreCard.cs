using System.Collections.Immutable;
using Alignment.Leads;

namespace Alignment.Scoring;

/// <summary>
/// The full result of scoring one lead: total, fit, engagement, per-category sub-scores, grade, threshold state,
/// the model that produced it, and the explanation, rule by rule.
/// </summary>
/// <remarks>Immutable. The <see cref="Explanation"/> adds up exactly to <see cref="Total"/> (points are exact decimals in hundredths).</remarks>
public sealed record ScoreCard
{
    /// <summary>The lead scored.</summary>
    public required LeadId LeadId { get; init; }

    /// <summary>The instant the score was taken at.</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>The total score: the sum of the category sub-scores.</summary>
    public required decimal Total { get; init; }

    /// <summary>Points from fit rules (before category caps: a category cap's adjustment counts in <see cref="Engagement"/>).</summary>
    public required decimal Fit { get; init; }

    /// <summary>Everything but fit: engagement, negative and plugin points after decay and rule caps, plus category-cap adjustments (<see cref="Total"/> − <see cref="Fit"/>).</summary>
    public required decimal Engagement { get; init; }

    /// <summary>The fit grade.</summary>
    public required Grade Grade { get; init; }

    /// <summary>Where the score stands against the thresholds.</summary>
    public required QualificationState State { get; init; }

    /// <summary>The sub-score of every category of the model, in model order.</summary>
    public required ImmutableArray<CategoryScore> Categories { get; init; }

    /// <summary>Every rule that contributed points or grade steps, in model order; empty when no explanation was asked for.</summary>
    public required ImmutableArray<ScoreContribution> Explanation { get; init; }

    /// <summary>The id of the scoring model that produced the score.</summary>
    public required string ModelId { get; init; }

    /// <summary>The semantic version of that model.</summary>
    public required string ModelVersion { get; init; }

    /// <summary>The content hash of that model (hex SHA-256 of its canonical form), so an MQL can be traced to the exact standard in force.</summary>
    public required string ModelHash { get; init; }
}
