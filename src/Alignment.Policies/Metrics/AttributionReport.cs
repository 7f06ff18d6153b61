using System.Text.Json.Serialization;
using System.Collections.Immutable;

namespace Alignment.Policies.Metrics;

/// <summary>Closed-loop attribution of won revenue to marketing sources and campaigns, under three models.</summary>
public sealed class AttributionReport
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="wonDeals">Won deals with revenue.</param>
    /// <param name="wonRevenue">Their total revenue.</param>
    /// <param name="firstTouch">All credit to each lead's first touch.</param>
    /// <param name="lastTouch">All credit to each lead's last touch before the win.</param>
    /// <param name="linear">Credit split evenly across each lead's touches before the win.</param>
    [JsonConstructor]
    internal AttributionReport(int wonDeals, decimal wonRevenue, ImmutableArray<AttributionRow> firstTouch, ImmutableArray<AttributionRow> lastTouch, ImmutableArray<AttributionRow> linear)
    {
        WonDeals = wonDeals;
        WonRevenue = wonRevenue;
        FirstTouch = firstTouch;
        LastTouch = lastTouch;
        Linear = linear;
    }

    /// <summary>Won deals with revenue.</summary>
    public int WonDeals { get; }

    /// <summary>Their total revenue.</summary>
    public decimal WonRevenue { get; }

    /// <summary>All credit to each lead's first touch.</summary>
    public ImmutableArray<AttributionRow> FirstTouch { get; }

    /// <summary>All credit to each lead's last touch before the win.</summary>
    public ImmutableArray<AttributionRow> LastTouch { get; }

    /// <summary>Credit split evenly across each lead's touches before the win.</summary>
    public ImmutableArray<AttributionRow> Linear { get; }
}
