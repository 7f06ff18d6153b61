using System.Collections.Immutable;

namespace Alignment.Lifecycle;

/// <summary>
/// The allowed moves of the demand waterfall:
/// <list type="bullet">
/// <item>Inquiry → MarketingQualified, Recycled (straight to nurture), Disqualified</item>
/// <item>MarketingQualified → SalesAccepted (accepted), Recycled (rejected for timing, or the score dropped), Disqualified (rejected)</item>
/// <item>SalesAccepted → SalesQualified, Recycled, Disqualified</item>
/// <item>SalesQualified → Opportunity, Recycled, Disqualified</item>
/// <item>Opportunity → Won, Lost</item>
/// <item>Lost → Recycled (back to marketing); otherwise it stays closed with its reason</item>
/// <item>Recycled → MarketingQualified (ready again), Disqualified</item>
/// <item>Won and Disqualified are final.</item>
/// </list>
/// </summary>
/// <remarks>Stateless and thread-safe.</remarks>
public static class LifecycleStateMachine
{
    private static readonly ImmutableArray<ImmutableArray<LifecycleStage>> Allowed =
    [
        /* Inquiry */ [LifecycleStage.MarketingQualified, LifecycleStage.Recycled, LifecycleStage.Disqualified],
        /* MQL */ [LifecycleStage.SalesAccepted, LifecycleStage.Recycled, LifecycleStage.Disqualified],
        /* SAL */ [LifecycleStage.SalesQualified, LifecycleStage.Recycled, LifecycleStage.Disqualified],
        /* SQL */ [LifecycleStage.Opportunity, LifecycleStage.Recycled, LifecycleStage.Disqualified],
        /* Opportunity */ [LifecycleStage.Won, LifecycleStage.Lost],
        /* Won */ [],
        /* Lost */ [LifecycleStage.Recycled],
        /* Recycled */ [LifecycleStage.MarketingQualified, LifecycleStage.Disqualified],
        /* Disqualified */ [],
    ];

    /// <summary>The stages a lead may move to from <paramref name="from"/>.</summary>
    /// <param name="from">The current stage.</param>
    /// <returns>The allowed targets; empty for a final stage.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="from"/> is not a defined stage.</exception>
    public static ImmutableArray<LifecycleStage> AllowedFrom(LifecycleStage from)
    {
        if ((uint)from >= (uint)Allowed.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(from), from, "Not a defined lifecycle stage.");
        }

        return Allowed[(int)from];
    }

    /// <summary>Tells whether the lifecycle allows a move.</summary>
    /// <param name="from">The current stage.</param>
    /// <param name="to">The stage asked for.</param>
    /// <returns><see langword="true"/> when the move is allowed.</returns>
    public static bool IsAllowed(LifecycleStage from, LifecycleStage to) =>
        (uint)from < (uint)Allowed.Length && Allowed[(int)from].Contains(to);

    /// <summary>Tells whether a stage is final (no move leaves it).</summary>
    /// <param name="stage">The stage.</param>
    /// <returns><see langword="true"/> for <see cref="LifecycleStage.Won"/> and <see cref="LifecycleStage.Disqualified"/>.</returns>
    public static bool IsFinal(LifecycleStage stage) => AllowedFrom(stage).IsEmpty;
}
