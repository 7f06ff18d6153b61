using System.Collections.Immutable;
using Alignment.Lifecycle;
using Alignment.Policies.Metrics;

namespace Alignment.Policies.Planning;

/// <summary>
/// Ties marketing spend to closed sales: cost per lead, MQL, opportunity and won deal per channel, customer acquisition cost, and
/// the won revenue per unit of spend of each channel under first-touch, last-touch and linear attribution.
/// </summary>
/// <remarks>
/// A channel is spelled as the leads' sources. A lead's funnel counts for the channel of its first touch; revenue is credited by the
/// attribution models of <see cref="AlignmentMetrics"/>. The caller chooses the window: pass the spend and the leads of the same
/// months (leads by their creation). Stateless, deterministic and thread-safe.
/// </remarks>
public static class SpendAnalysis
{
    /// <summary>Computes the report.</summary>
    /// <param name="leads">The leads with their history, touches and won amounts.</param>
    /// <param name="spend">The spend rows.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException">An argument, a lead or a spend row is null.</exception>
    public static SpendReport Compute(IEnumerable<FunnelLead> leads, IEnumerable<ChannelSpend> spend)
    {
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(spend);
        var all = leads.ToArray();
        foreach (var lead in all)
        {
            ArgumentNullException.ThrowIfNull(lead, nameof(leads));
        }

        var spent = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var row in spend)
        {
            ArgumentNullException.ThrowIfNull(row, nameof(spend));
            spent[row.Channel] = spent.GetValueOrDefault(row.Channel) + row.Amount;
        }

        var funnel = new Dictionary<string, (int Leads, int Mqls, int Opportunities, int Won)>(StringComparer.Ordinal);
        foreach (var lead in all)
        {
            var channel = DemandPlanner.ChannelOf(lead);
            funnel.TryGetValue(channel, out var f);
            funnel[channel] = (f.Leads + 1,
                f.Mqls + (AlignmentMetrics.Reached(lead, LifecycleStage.MarketingQualified) ? 1 : 0),
                f.Opportunities + (AlignmentMetrics.Reached(lead, LifecycleStage.Opportunity) ? 1 : 0),
                f.Won + (lead.Lifecycle.Stage == LifecycleStage.Won ? 1 : 0));
            spent.TryAdd(channel, 0m);
        }

        var attribution = AlignmentMetrics.Attribution(all);
        var channels = ImmutableArray.CreateBuilder<ChannelReturn>(spent.Count);
        foreach (var (channel, amount) in spent)
        {
            funnel.TryGetValue(channel, out var f);
            var first = Sum(attribution.FirstTouch, channel);
            var last = Sum(attribution.LastTouch, channel);
            var linear = Sum(attribution.Linear, channel);
            channels.Add(new ChannelReturn(channel, amount, f.Leads, f.Mqls, f.Opportunities, f.Won,
                Per(amount, f.Leads), Per(amount, f.Mqls), Per(amount, f.Opportunities), Per(amount, f.Won),
                first, last, linear, Return(first, amount), Return(last, amount), Return(linear, amount)));
        }

        var total = spent.Values.Sum();
        return new SpendReport(total, attribution.WonDeals, attribution.WonRevenue, Per(total, attribution.WonDeals), channels.MoveToImmutable());
    }

    private static decimal Sum(ImmutableArray<AttributionRow> rows, string channel)
    {
        var sum = 0m;
        foreach (var row in rows)
        {
            if (string.Equals(row.Source, channel, StringComparison.Ordinal))
            {
                sum += row.Revenue;
            }
        }

        return sum;
    }

    private static decimal? Per(decimal amount, int count) => count == 0 ? null : decimal.Round(amount / count, 2);

    private static double? Return(decimal revenue, decimal spend) => spend == 0 ? null : Math.Round((double)(revenue / spend), 4);
}
