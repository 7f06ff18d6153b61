namespace Alignment.Scoring.Predictive;

/// <summary>The kind of lead property a predictive factor comes from.</summary>
public enum PredictiveFactorKind
{
    /// <summary>The lead's stage: its row is divided by the first stage's won and lost counts.</summary>
    Stage = 0,

    /// <summary>One of <see cref="PredictiveScoringOptions.Fields"/>: its row is divided by the field's won and lost totals.</summary>
    Field = 1,

    /// <summary>A tag: like a field, but the row counts only with enough won + lost support.</summary>
    Tag = 2,
}
