using Alignment.Handoff;
using Alignment.Scoring;

namespace Alignment.Cli.TestPlugin;

/// <summary>
/// A sample routing strategy: hot leads go to the last eligible rep in rep-id order (the senior one, by the roster's naming), every other
/// lead to the first. Referred to with <c>"strategy": {"plugin": "senior-first"}</c>.
/// </summary>
public sealed class SeniorFirstStrategy : IRoutingStrategy
{
    /// <summary>The name a policy refers to.</summary>
    public const string StrategyName = "senior-first";

    /// <inheritdoc />
    public string Name => StrategyName;

    /// <inheritdoc />
    public int Choose(in RoutingPluginLead lead, ReadOnlySpan<RepId> eligible) => lead.State == QualificationState.Hot ? eligible.Length - 1 : 0;
}

/// <summary>A sample routing condition: the lead's company domain ends in <c>.gov</c>. Referred to with <c>"conditions": ["public-sector"]</c>.</summary>
public sealed class PublicSectorCondition : IRoutingCondition
{
    /// <summary>The name a policy refers to.</summary>
    public const string ConditionName = "public-sector";

    /// <inheritdoc />
    public string Name => ConditionName;

    /// <inheritdoc />
    public bool Matches(in RoutingPluginLead lead) => lead.Domain?.EndsWith(".gov", StringComparison.OrdinalIgnoreCase) == true;
}
