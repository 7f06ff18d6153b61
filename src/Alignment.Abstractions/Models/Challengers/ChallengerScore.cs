using Alignment.Scoring;

namespace Alignment.Models.Challengers;

/// <summary>
/// One model's score of a lead as a challenger ledger keeps it: the total and fit points in exact hundredths, the fit grade and the
/// threshold state (MQL and hot follow from it). The same figures as the scoring engine's <c>LeadScore</c>, without its explanation.
/// </summary>
/// <param name="TotalHundredths">The total score in hundredths of a point.</param>
/// <param name="FitHundredths">The fit points in hundredths of a point.</param>
/// <param name="Grade">The fit grade.</param>
/// <param name="State">Where the score stands against the model's thresholds.</param>
public readonly record struct ChallengerScore(long TotalHundredths, long FitHundredths, Grade Grade, QualificationState State)
{
    /// <summary>Whether the lead is marketing-qualified (or hot) under this score.</summary>
    public bool IsMql => State != QualificationState.NotQualified;
}
