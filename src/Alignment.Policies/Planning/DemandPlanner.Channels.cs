using System.Collections.Immutable;
using System.Globalization;
using Alignment.Policies.Metrics;

namespace Alignment.Policies.Planning;

public static partial class DemandPlanner
{
    /// <summary>One channel's part of a group's plan: its share of the revenue and the funnel it is planned on.</summary>
    private sealed record ChannelSplit(string Channel, decimal Share, MeasuredFunnel Funnel, ImmutableArray<string> Fallbacks);

    /// <summary>
    /// Splits a group's revenue between its channels by each channel's share of the group's won revenue in history (the target is
    /// revenue, so it is split by where revenue came from; with every figure a channel's own, the channels' counts then add up to the
    /// group's at every stage, as long as every channel won something). Each channel is planned at its own conversion rates and deal
    /// size where they rest on at least <see cref="DemandPlanOptions.MinimumSample"/> leads, else at the group's, named in the
    /// fallbacks and warned about; the days between stages are the group's, so a channel's counts fall in the group's months. Empty
    /// when the group has no won revenue to split by.
    /// </summary>
    private static List<ChannelSplit> SplitByChannel(FunnelLead[] members, MeasuredFunnel group, DemandPlanOptions options, string label, List<string> warnings)
    {
        var split = new List<ChannelSplit>();
        if (group.WonRevenue <= 0)
        {
            return split;
        }

        foreach (var channel in members.GroupBy(ChannelOf).OrderBy(static g => g.Key, StringComparer.Ordinal))
        {
            var own = Measure([.. channel], options, label, null);
            var rates = new double[group.Rates.Length];
            var fallbacks = ImmutableArray.CreateBuilder<string>();
            for (var i = 0; i < rates.Length; i++)
            {
                // A trusted rate rests on at least one move, so a channel's own rate of zero always falls back to the group's; where the
                // group's is zero too, the stages before it stay unplanned (null), as in the group's own months.
                if (own.Conversions[i].Trusted)
                {
                    rates[i] = own.Rates[i];
                }
                else
                {
                    rates[i] = group.Rates[i];
                    fallbacks.Add($"{Funnel[i]} → {Funnel[i + 1]}");
                }
            }

            var deal = own.DealTrusted ? own.AverageDeal : group.AverageDeal;
            if (!own.DealTrusted)
            {
                fallbacks.Add("deal size");
            }

            var share = own.WonRevenue / group.WonRevenue;
            var name = channel.Key;
            if (share == 0)
            {
                warnings.Add($"{label}, channel '{name}': no won revenue in the history; no revenue is planned on it.");
            }
            else if (fallbacks.Count > 0)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{label}, channel '{name}': {string.Join(", ", fallbacks)} rest on too little of its own history (fewer than {options.MinimumSample}); the group's are used."));
            }

            split.Add(new ChannelSplit(name, share, group with { Rates = rates, AverageDeal = deal }, fallbacks.ToImmutable()));
        }

        return split;
    }
}
