using System.Collections.Immutable;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Metrics;

namespace Alignment.Policies.Planning;

/// <summary>
/// Measures both sides of a <see cref="ServiceLevelAgreement"/> from lifecycle histories: marketing's MQLs against its commitments,
/// sales' first touches and dispositions against theirs, per period, with the pace of the running period and the leads behind
/// every miss.
/// </summary>
/// <remarks>
/// A lead counts once, in the period it first became an MQL; its first touch is <see cref="FunnelLead.FirstSalesTouchAt"/> and its
/// disposition the first move out of MQL after that. Stateless, deterministic and thread-safe.
/// </remarks>
public static class SlaAttainment
{
    /// <summary>Measures the agreement.</summary>
    /// <param name="leads">The leads with their lifecycle history.</param>
    /// <param name="agreement">The agreement.</param>
    /// <param name="asOf">The instant to measure at: later moves and touches are not seen.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException">An argument or a lead is null.</exception>
    /// <exception cref="ArgumentException">The agreement is not valid (<see cref="ServiceLevelAgreement.Validate"/>).</exception>
    public static SlaReport Compute(IEnumerable<FunnelLead> leads, ServiceLevelAgreement agreement, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(agreement);
        agreement.Validate();
        var mqls = new List<(FunnelLead Lead, DateTimeOffset At)>();
        foreach (var lead in leads)
        {
            ArgumentNullException.ThrowIfNull(lead, nameof(leads));
            if (AlignmentMetrics.FirstEntry(lead, LifecycleStage.MarketingQualified, DateTimeOffset.MinValue) is { } at && at <= asOf)
            {
                mqls.Add((lead, at));
            }
        }

        if (mqls.Count == 0)
        {
            return new SlaReport(asOf, []);
        }

        var periods = ImmutableArray.CreateBuilder<SlaPeriod>();
        // The MQLs by period first: a history spanning centuries costs one pass, not one pass per period.
        var byPeriod = new Dictionary<DateTimeOffset, List<(FunnelLead Lead, DateTimeOffset At)>>();
        foreach (var m in mqls)
        {
            var key = PeriodStart(m.At, agreement.Period);
            if (!byPeriod.TryGetValue(key, out var list))
            {
                byPeriod[key] = list = [];
            }

            list.Add(m);
        }

        var start = PeriodStart(mqls.Min(static m => m.At), agreement.Period);
        while (start <= asOf)
        {
            var months = agreement.Period == MetricsPeriod.Quarter ? 3 : 1;
            var end = start.Year == 9999 && start.Month > 12 - months ? DateTimeOffset.MaxValue : start.AddMonths(months);
            var closed = end <= asOf;
            var elapsed = closed ? 1.0 : Math.Round((asOf - start) / (end - start), 4);
            var inPeriod = byPeriod.GetValueOrDefault(start) ?? [];
            var marketing = agreement.MarketingCommitments.Select(c => Marketing(c, inPeriod, closed, elapsed)).ToImmutableArray();
            var firstTouch = Sales(inPeriod, agreement.FirstTouchShare, agreement.FirstTouchWithin, closed, asOf,
                static (lead, _) => lead.FirstSalesTouchAt);
            var disposition = Sales(inPeriod, agreement.DispositionShare, agreement.DispositionWithin, closed, asOf, static (lead, mqlAt) =>
            {
                foreach (var move in lead.Lifecycle.History)
                {
                    if (move.From == LifecycleStage.MarketingQualified && move.At >= mqlAt)
                    {
                        return move.At;
                    }
                }

                return null;
            });
            periods.Add(new SlaPeriod(AlignmentMetrics.PeriodKey(start, agreement.Period), start, end, elapsed, marketing, firstTouch, disposition));
            if (end == DateTimeOffset.MaxValue)
            {
                break;
            }

            start = end;
        }

        return new SlaReport(asOf, periods.ToImmutable());
    }

    private static MarketingAttainment Marketing(MqlCommitment commitment, List<(FunnelLead Lead, DateTimeOffset At)> mqls, bool closed, double elapsed)
    {
        var delivered = mqls.Count(m => (commitment.Segment is null || string.Equals(m.Lead.Segment?.Value, commitment.Segment, StringComparison.Ordinal))
                                        && (commitment.Team is null || string.Equals(m.Lead.Team, commitment.Team, StringComparison.Ordinal)));
        var attainment = commitment.Mqls == 0 ? 1.0 : Math.Round((double)delivered / commitment.Mqls, 4);
        var projected = closed ? delivered : elapsed <= 0 ? 0 : Math.Round(delivered / elapsed, 2);
        // A period that starts at the report's instant has had no time to deliver anything: not behind yet.
        var pace = closed
            ? delivered >= commitment.Mqls ? SlaPace.Met : SlaPace.Missed
            : elapsed <= 0 || projected >= commitment.Mqls ? SlaPace.OnTrack : SlaPace.Behind;
        return new MarketingAttainment(commitment.Segment, commitment.Team, commitment.Mqls, delivered, attainment, projected, pace);
    }

    private static SalesAttainment Sales(
        List<(FunnelLead Lead, DateTimeOffset At)> mqls, double committed, TimeSpan within, bool closed, DateTimeOffset asOf,
        Func<FunnelLead, DateTimeOffset, DateTimeOffset?> servedAt)
    {
        int measured = 0, met = 0, pending = 0;
        var misses = new List<LeadId>();
        foreach (var (lead, mqlAt) in mqls)
        {
            var due = mqlAt + within;
            var served = servedAt(lead, mqlAt) is { } s && s >= mqlAt && s <= asOf ? s : (DateTimeOffset?)null;
            if (served is null && due > asOf)
            {
                pending++;
                continue;
            }

            measured++;
            if (served is { } t && t <= due)
            {
                met++;
            }
            else
            {
                misses.Add(lead.Lifecycle.LeadId);
            }
        }

        double? share = measured == 0 ? null : Math.Round((double)met / measured, 4);
        var kept = share is null || share.Value >= committed;
        var pace = closed ? kept ? SlaPace.Met : SlaPace.Missed : kept ? SlaPace.OnTrack : SlaPace.Behind;
        double? best = measured + pending == 0 ? null : Math.Round((double)(met + pending) / (measured + pending), 4);
        return new SalesAttainment(committed, within, mqls.Count, measured, met, share, pace,
            [.. misses.OrderBy(static id => id.Value, StringComparer.Ordinal)], pending, best);
    }

    private static DateTimeOffset PeriodStart(DateTimeOffset at, MetricsPeriod period)
    {
        var utc = at.UtcDateTime;
        var month = period == MetricsPeriod.Quarter ? (((utc.Month - 1) / 3) * 3) + 1 : utc.Month;
        return new DateTimeOffset(utc.Year, month, 1, 0, 0, 0, TimeSpan.Zero);
    }
}
