namespace Alignment.Policies.Planning;

/// <summary>How <see cref="DemandPlanner"/> reads the history.</summary>
public sealed class DemandPlanOptions
{
    /// <summary>The instant the plan is made at: the pipeline open at it is what the plan counts on.</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>
    /// The fewest leads a measured figure may rest on to be trusted (a conversion: leads that reached its first stage; a velocity:
    /// leads that made the move; the average deal size: won deals with an amount). A figure on fewer is used but flagged. Default 30.
    /// </summary>
    public int MinimumSample { get; init; } = 30;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MinimumSample"/> is below 1.</exception>
    public void Validate() =>
        ArgumentOutOfRangeException.ThrowIfLessThan(MinimumSample, 1, nameof(MinimumSample));
}
