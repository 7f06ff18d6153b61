using System.Collections.Immutable;
using Alignment.Leads;

namespace Alignment.Policies.Planning;

/// <summary>Where a side of the agreement stands in a period.</summary>
public enum SlaPace
{
    /// <summary>A closed period whose commitment was kept.</summary>
    Met = 0,

    /// <summary>A closed period whose commitment was not kept.</summary>
    Missed = 1,

    /// <summary>The running period, on pace to keep the commitment.</summary>
    OnTrack = 2,

    /// <summary>The running period, behind the pace the commitment needs.</summary>
    Behind = 3,
}

/// <summary>Both sides of the agreement, period by period. Made by <see cref="SlaAttainment.Compute"/>.</summary>
/// <param name="AsOf">The instant measured at.</param>
/// <param name="Periods">The periods from the first MQL's through the one <paramref name="AsOf"/> is in, oldest first.</param>
public sealed record SlaReport(DateTimeOffset AsOf, ImmutableArray<SlaPeriod> Periods);

/// <summary>Both sides of the agreement in one period.</summary>
/// <param name="Period">The period's key (<c>2026-03</c>, <c>2026-Q1</c>).</param>
/// <param name="Start">The period's first instant (UTC).</param>
/// <param name="End">The instant after the period (UTC).</param>
/// <param name="Elapsed">The share of the period gone at the report's instant (1 for a closed period), rounded to four places.</param>
/// <param name="Marketing">Each marketing commitment's attainment.</param>
/// <param name="FirstTouch">Sales' first-touch commitment on the period's MQLs.</param>
/// <param name="Disposition">Sales' disposition commitment on the period's MQLs.</param>
public sealed record SlaPeriod(string Period, DateTimeOffset Start, DateTimeOffset End, double Elapsed, ImmutableArray<MarketingAttainment> Marketing, SalesAttainment FirstTouch, SalesAttainment Disposition);

/// <summary>Marketing's side in one period.</summary>
/// <param name="Segment">The commitment's segment.</param>
/// <param name="Team">The commitment's team.</param>
/// <param name="Committed">MQLs committed.</param>
/// <param name="Delivered">Leads that first became MQLs in the period.</param>
/// <param name="Attainment"><paramref name="Delivered"/> / <paramref name="Committed"/>, rounded to four places (1 when nothing was committed).</param>
/// <param name="Projected">MQLs at the end of the period at the pace so far (<paramref name="Delivered"/> ÷ the elapsed share), rounded to two places.</param>
/// <param name="Pace">Met or missed for a closed period; on track or behind (by <paramref name="Projected"/>) for the running one.</param>
public sealed record MarketingAttainment(string? Segment, string? Team, int Committed, int Delivered, double Attainment, double Projected, SlaPace Pace);

/// <summary>One of sales' commitments in one period, on the leads that first became MQLs in it.</summary>
/// <param name="Committed">The share of MQLs committed (0 to 1).</param>
/// <param name="Within">The time allowed.</param>
/// <param name="Mqls">The period's MQLs.</param>
/// <param name="Measured">Those whose time ran out or that were served: the others are still inside their time and not counted yet.</param>
/// <param name="Met">Of the measured, those served in time.</param>
/// <param name="Share"><paramref name="Met"/> / <paramref name="Measured"/>, rounded to four places; <see langword="null"/> when none is measured.</param>
/// <param name="Pace">
/// Met or missed for a closed period, on track or behind for the running one (by the share so far, which is the share projected for
/// the period's end at the pace so far; nothing measured counts as kept).
/// </param>
/// <param name="Misses">The leads behind the misses: served late, or not served and out of time, ordered by id.</param>
/// <param name="Pending">The period's MQLs not served yet and still inside their time (0 once every MQL's time has run out).</param>
/// <param name="BestShare">
/// The share the period's MQLs so far would reach if every pending one were served in time (<paramref name="Met"/> +
/// <paramref name="Pending"/>) / (<paramref name="Measured"/> + <paramref name="Pending"/>), rounded to four places;
/// <see langword="null"/> when there is no MQL. Below <paramref name="Committed"/>, the commitment can no longer be kept on them.
/// </param>
public sealed record SalesAttainment(double Committed, TimeSpan Within, int Mqls, int Measured, int Met, double? Share, SlaPace Pace, ImmutableArray<LeadId> Misses, int Pending, double? BestShare);
