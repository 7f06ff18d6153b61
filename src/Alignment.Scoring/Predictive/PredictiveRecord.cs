using System.Collections.Immutable;

namespace Alignment.Scoring.Predictive;

/// <summary>
/// One lead as the predictive scorer sees it: a closed lead to learn from (<see cref="LeadOutcome.Won"/> or
/// <see cref="LeadOutcome.Lost"/>) or an open lead to score.
/// </summary>
/// <param name="Id">The lead's identifier in the caller's system (only echoed back, never interpreted).</param>
/// <param name="Team">The sales team, or <see langword="null"/> for a lead without a team (the "no team" bucket).</param>
/// <param name="Stage">
/// The stage name, or <see langword="null"/> for a lead without a stage. For a lost lead this is the stage where it was lost.
/// </param>
/// <param name="Outcome">Whether the lead is open, won or lost.</param>
/// <param name="Values">
/// One value per field of <see cref="PredictiveScoringOptions.Fields"/>, in the same order; <see langword="null"/> or empty
/// means unset.
/// </param>
/// <param name="Tags">The lead's tags (each counted once; empty when the lead has none).</param>
public sealed record PredictiveRecord(
    string Id,
    string? Team,
    string? Stage,
    LeadOutcome Outcome,
    ImmutableArray<string?> Values,
    ImmutableArray<string> Tags);
