namespace Alignment.Scoring.Predictive;

/// <summary>What a predictive probability was computed from.</summary>
public enum PredictiveBasis
{
    /// <summary>The lead has no stage: the probability is 0 by definition.</summary>
    NoStage = 0,

    /// <summary>The lead is in a won stage: the probability is 100 by definition.</summary>
    WonStage = 1,

    /// <summary>The frequency rows of the lead's own team.</summary>
    Team = 2,

    /// <summary>
    /// The global view: per (field, value) the sum of the rows of every team and of the "no team" bucket. Used for leads without a
    /// team and for leads whose team has no rows yet.
    /// </summary>
    Global = 3,
}
