using System.Collections.Immutable;
using Alignment.Lifecycle;

namespace Alignment.Policies.Planning;

/// <summary>
/// The reverse waterfall: from revenue targets back to the leads, MQLs, SALs, SQLs and opportunities each month needs, per
/// channel, and the gap the pipeline open today leaves. Made by <see cref="DemandPlanner.Plan"/>.
/// </summary>
/// <param name="AsOf">The instant the plan was made at.</param>
/// <param name="Groups">Per segment and team a target names (one group with neither for company-wide targets): the funnel measured from its history and its pipeline.</param>
/// <param name="Months">What must enter each stage in each month, per group, ordered by month, segment, team.</param>
/// <param name="Channels">
/// What each channel must bring into each stage per month, per group: the group's revenue split by each channel's share of its won
/// revenue in history, planned at the channel's own rates where its history is large enough and at the group's (flagged) where not.
/// </param>
/// <param name="Warnings">Figures the plan rests on that have too little history to be trusted, or that are missing so a stage cannot be planned.</param>
public sealed record DemandPlan(
    DateTimeOffset AsOf,
    ImmutableArray<PlanGroup> Groups,
    ImmutableArray<PlannedMonth> Months,
    ImmutableArray<PlannedChannel> Channels,
    ImmutableArray<string> Warnings);

/// <summary>The funnel of one segment or team (or of everything), measured from its history, and its open pipeline.</summary>
/// <param name="Segment">The segment, or <see langword="null"/> for every segment.</param>
/// <param name="Team">The team, or <see langword="null"/> for every team.</param>
/// <param name="HistoryLeads">The leads of the history the figures are measured on.</param>
/// <param name="WonDeals">Won deals with an amount in that history.</param>
/// <param name="AverageDealSize">Their mean amount; <see langword="null"/> without any.</param>
/// <param name="DealSizeTrusted">Whether <paramref name="WonDeals"/> reaches the minimum sample.</param>
/// <param name="Conversions">Each step of the funnel, Inquiry → MQL … Opportunity → Won.</param>
/// <param name="Pipeline">What the leads open at the plan's instant are expected to close, against the targets from that month on.</param>
public sealed record PlanGroup(
    string? Segment,
    string? Team,
    int HistoryLeads,
    int WonDeals,
    decimal? AverageDealSize,
    bool DealSizeTrusted,
    ImmutableArray<PlanConversion> Conversions,
    PipelineCoverage Pipeline);

/// <summary>One step of the measured funnel.</summary>
/// <param name="From">The earlier stage.</param>
/// <param name="To">The later stage.</param>
/// <param name="FromLeads">Leads of the history that reached <paramref name="From"/>.</param>
/// <param name="ToLeads">Of those, leads that reached <paramref name="To"/>.</param>
/// <param name="Rate"><paramref name="ToLeads"/> / <paramref name="FromLeads"/>, rounded to four places (0 without leads).</param>
/// <param name="MedianDays">Median days from entering <paramref name="From"/> to entering <paramref name="To"/>; <see langword="null"/> when no lead made the move (the plan then counts 0 days).</param>
/// <param name="Trusted">Whether <paramref name="FromLeads"/> and the leads that made the move both reach the minimum sample.</param>
public sealed record PlanConversion(LifecycleStage From, LifecycleStage To, int FromLeads, int ToLeads, double Rate, double? MedianDays, bool Trusted);

/// <summary>What the open pipeline of a group covers of its targets.</summary>
/// <param name="OpenInquiries">Open leads at Inquiry at the plan's instant.</param>
/// <param name="OpenMqls">Open leads at MQL.</param>
/// <param name="OpenSals">Open leads at SAL.</param>
/// <param name="OpenSqls">Open leads at SQL.</param>
/// <param name="OpenOpportunities">Open opportunities.</param>
/// <param name="ExpectedWonDeals">Each open lead weighted by its stage's measured chance to be won, summed; rounded to two places.</param>
/// <param name="ExpectedRevenue"><paramref name="ExpectedWonDeals"/> × the average deal size, rounded to cents.</param>
/// <param name="TargetRevenue">The group's targets from the plan's month on.</param>
/// <param name="GapRevenue">What the pipeline leaves of <paramref name="TargetRevenue"/> (never below zero).</param>
/// <param name="GapLeads">The new leads the gap needs at the measured rates (rounded up); <see langword="null"/> when a rate or the deal size is missing.</param>
public sealed record PipelineCoverage(
    int OpenInquiries,
    int OpenMqls,
    int OpenSals,
    int OpenSqls,
    int OpenOpportunities,
    double ExpectedWonDeals,
    decimal ExpectedRevenue,
    decimal TargetRevenue,
    decimal GapRevenue,
    int? GapLeads);

/// <summary>
/// What must enter each stage in one month for the targets of one group: each stage's count is needed in the month that lies the
/// measured days before the target's month (so the SQLs for a March target are needed in January when SQL → Won takes 40 days).
/// A count is <see langword="null"/> when a rate on the way to Won is zero or the deal size unknown.
/// </summary>
/// <param name="Month">The month's first day.</param>
/// <param name="Segment">The group's segment.</param>
/// <param name="Team">The group's team.</param>
/// <param name="Revenue">The target revenue to close in this month.</param>
/// <param name="WonDeals">Deals to win in this month.</param>
/// <param name="Opportunities">Opportunities to open in this month.</param>
/// <param name="Sqls">SQLs needed in this month.</param>
/// <param name="Sals">SALs needed in this month.</param>
/// <param name="Mqls">MQLs needed in this month.</param>
/// <param name="Leads">New leads needed in this month.</param>
public sealed record PlannedMonth(DateOnly Month, string? Segment, string? Team, decimal Revenue, int? WonDeals, int? Opportunities, int? Sqls, int? Sals, int? Mqls, int? Leads);

/// <summary>
/// What one channel must bring into each stage in one month: the channel's part of the group's revenue (its share of the group's won
/// revenue in history) worked back through the channel's own measured deal size and conversion rates, in the group's months. A figure
/// the channel's own history is too thin for (fewer than <see cref="DemandPlanOptions.MinimumSample"/>) is taken from the group and
/// named in <paramref name="GroupFallbacks"/>. A count is <see langword="null"/> when a rate on the way to Won is zero for the group too,
/// or the deal size is unknown.
/// </summary>
/// <param name="Month">The month's first day.</param>
/// <param name="Segment">The group's segment.</param>
/// <param name="Team">The group's team.</param>
/// <param name="Channel">The channel (the lead source, <c>(none)</c> when unknown).</param>
/// <param name="Share">The channel's share of the group's won revenue in history, rounded to four places (0 for a channel that won nothing).</param>
/// <param name="Revenue">The channel's part of the target revenue to close in this month (<paramref name="Share"/> × the group's), rounded to cents.</param>
/// <param name="WonDeals">Deals the channel must win in this month.</param>
/// <param name="Opportunities">Opportunities the channel must open in this month.</param>
/// <param name="Sqls">SQLs needed from the channel in this month.</param>
/// <param name="Sals">SALs needed from the channel in this month.</param>
/// <param name="Mqls">MQLs needed from the channel in this month.</param>
/// <param name="Leads">New leads the channel must bring in this month.</param>
/// <param name="GroupFallbacks">
/// The figures taken from the group because the channel's own rest on too little history: a conversion as <c>From → To</c> (for example
/// <c>SalesAccepted → SalesQualified</c>) and <c>deal size</c>; empty when the channel's own figures are all trusted.
/// </param>
public sealed record PlannedChannel(
    DateOnly Month,
    string? Segment,
    string? Team,
    string Channel,
    double Share,
    decimal Revenue,
    int? WonDeals,
    int? Opportunities,
    int? Sqls,
    int? Sals,
    int? Mqls,
    int? Leads,
    ImmutableArray<string> GroupFallbacks);
