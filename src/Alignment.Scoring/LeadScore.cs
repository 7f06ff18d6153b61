using Alignment.Scoring.Compilation;

namespace Alignment.Scoring;

/// <summary>
/// The result of scoring one lead without its explanation: total, fit, engagement, grade and threshold state. A small value
/// written into caller-provided memory by the batch APIs, so scoring a batch allocates nothing per lead.
/// </summary>
public readonly record struct LeadScore
{
    internal LeadScore(long totalHundredths, long fitHundredths, Grade grade, QualificationState state)
    {
        TotalHundredths = totalHundredths;
        FitHundredths = fitHundredths;
        Grade = grade;
        State = state;
    }

    /// <summary>The total in hundredths of a point (exact).</summary>
    public long TotalHundredths { get; }

    /// <summary>The fit points in hundredths of a point (exact).</summary>
    public long FitHundredths { get; }

    /// <summary>The total score.</summary>
    public decimal Total => DeterministicMath.ToDecimal(TotalHundredths);

    /// <summary>The points from fit rules.</summary>
    public decimal Fit => DeterministicMath.ToDecimal(FitHundredths);

    /// <summary>Everything else: engagement, negative and plugin points and category-cap adjustments (<see cref="Total"/> − <see cref="Fit"/>).</summary>
    public decimal Engagement => DeterministicMath.ToDecimal(TotalHundredths - FitHundredths);

    /// <summary>The fit grade.</summary>
    public Grade Grade { get; }

    /// <summary>Where the score stands against the thresholds.</summary>
    public QualificationState State { get; }
}
