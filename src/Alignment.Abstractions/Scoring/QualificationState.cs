namespace Alignment.Scoring;

/// <summary>Where a score stands against the model's thresholds.</summary>
public enum QualificationState
{
    /// <summary>Below the marketing-qualified threshold (score or grade).</summary>
    NotQualified = 0,

    /// <summary>Marketing-qualified: score and grade at or above the MQL threshold.</summary>
    MarketingQualified = 1,

    /// <summary>In the "hot" fast-track band above the MQL threshold.</summary>
    Hot = 2,
}
