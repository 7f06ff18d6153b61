namespace Alignment.Scoring.Predictive;

/// <summary>One row of the predictive frequency tables, with its +0.1 smoothing applied.</summary>
/// <param name="Team">The team, or <see langword="null"/> for the "no team" bucket.</param>
/// <param name="Kind">Whether the row counts a stage, a field value or a tag.</param>
/// <param name="Field">The field name (<c>stage</c> for stages, <c>tag</c> for tags).</param>
/// <param name="Value">The value, or <see langword="null"/> for the unset value of a field that counts missing as a value.</param>
/// <param name="Won">The number of won leads counted in the row, plus 0.1.</param>
/// <param name="Lost">The number of lost leads counted in the row, plus 0.1.</param>
public sealed record PredictiveFrequencyRow(string? Team, PredictiveFactorKind Kind, string Field, string? Value, double Won, double Lost);
