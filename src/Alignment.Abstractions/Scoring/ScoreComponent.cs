namespace Alignment.Scoring;

/// <summary>Which part of a scoring model a contribution came from.</summary>
public enum ScoreComponent
{
    /// <summary>A fit (profile) rule.</summary>
    Fit = 0,

    /// <summary>An engagement (activity) rule.</summary>
    Engagement = 1,

    /// <summary>A negative rule (unsubscribed, competitor, inactivity…).</summary>
    Negative = 2,

    /// <summary>A plugin rule (<see cref="IScoringRule"/>).</summary>
    Plugin = 3,

    /// <summary>The adjustment that holds a category within its cap (explanation line <c>cap:&lt;category&gt;</c>).</summary>
    CategoryCap = 4,
}
