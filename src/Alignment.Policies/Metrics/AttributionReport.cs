using System.Collections.Immutable;

namespace Alignment.Policies.Metrics;

/// <summary>Closed-loop attribution of won revenue to marketing sources and campaigns, under three models.</summary>
/// <param name="WonDeals">Won deals with revenue.</param>
/// <param name="WonRevenue">Their total revenue.</param>
/// <param name="FirstTouch">All credit to each lead's first touch.</param>
/// <param name="LastTouch">All credit to each lead's last touch before the win.</param>
/// <param name="Linear">Credit split evenly across each lead's touches before the win.</param>
public sealed record AttributionReport(int WonDeals, decimal WonRevenue, ImmutableArray<AttributionRow> FirstTouch, ImmutableArray<AttributionRow> LastTouch, ImmutableArray<AttributionRow> Linear);
