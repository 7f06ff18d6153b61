using System.Collections.Immutable;
using Alignment.Lifecycle;
using Alignment.Policies.Metrics;

namespace Alignment.Policies.Planning;

/// <summary>
/// Ties marketing spend to closed sales: cost per lead, MQL, opportunity and won deal per channel, customer acquisition cost, and
/// the won revenue per unit of spend of each channel under first-touch, last-touch and linear attribution; the same figures per
/// campaign within each channel and per month.
/// </summary>
/// <remarks>
/// <para>
/// A channel is spelled as the leads' sources. A lead's funnel counts for the channel of its first touch; revenue is credited by the
/// attribution models of <see cref="AlignmentMetrics"/>. The caller chooses the window: pass the spend and the leads of the same
/// months (leads by their creation). Stateless, deterministic and thread-safe.
/// </para>
/// <para>
/// The breakdowns follow the touches the channel figures use. A lead counts for the campaign and the month (UTC) of its first touch
/// (its own campaign and creation when it has no touch); each credit of won revenue goes to the campaign and the month of the touch
/// it credits; spend goes to the campaign and the month of its row. A blank campaign is the channel's spend, touches and leads not
/// tied to a campaign: a row of its own, with <see langword="null"/> for the campaign. Campaign and month rows are made for the
/// channels of <see cref="SpendReport.Channels"/> (every key with spend, leads or credited revenue), so a channel's rows add up to
/// its channel row.
/// </para>
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

        // One aggregation, three keys: every fact (a spend row, a lead's funnel, a credit of won revenue) is added to its channel,
        // its (channel, campaign) and its (month, channel).
        var tallies = new Tallies();
        var spent = 0m;
        foreach (var row in spend)
        {
            ArgumentNullException.ThrowIfNull(row, nameof(spend));
            tallies.Add(row.Channel, row.Campaign, row.Month, new Tally { Spend = row.Amount }, listed: true);
            spent += row.Amount;
        }

        foreach (var lead in all)
        {
            var (campaign, at) = FirstTouchOf(lead);
            tallies.Add(DemandPlanner.ChannelOf(lead), campaign, MonthOf(at), new Tally
            {
                Leads = 1,
                Mqls = AlignmentMetrics.Reached(lead, LifecycleStage.MarketingQualified) ? 1 : 0,
                Opportunities = AlignmentMetrics.Reached(lead, LifecycleStage.Opportunity) ? 1 : 0,
                Won = lead.Lifecycle.Stage == LifecycleStage.Won ? 1 : 0,
            }, listed: true);
        }

        var (deals, revenue) = AlignmentMetrics.Credits(all, (model, touch, amount, _) => tallies.Add(touch.Source, touch.Campaign, MonthOf(touch.At), model switch
        {
            AttributionModel.FirstTouch => new Tally { FirstTouch = amount },
            AttributionModel.LastTouch => new Tally { LastTouch = amount },
            _ => new Tally { Linear = amount },
        }, listed: false));

        var channels = tallies.ByChannel.Where(c => tallies.Listed.Contains(c.Key)).OrderBy(static c => c.Key, StringComparer.Ordinal)
            .Select(static c => new ChannelReturn(c.Key, c.Value.Spend, c.Value.Leads, c.Value.Mqls, c.Value.Opportunities, c.Value.Won,
                c.Value.CostPerLead, c.Value.CostPerMql, c.Value.CostPerOpportunity, c.Value.CostPerWonDeal,
                c.Value.FirstTouch, c.Value.LastTouch, c.Value.Linear, c.Value.FirstTouchReturn, c.Value.LastTouchReturn, c.Value.LinearReturn));
        var campaigns = tallies.ByCampaign.Where(c => tallies.Listed.Contains(c.Key.Channel))
            .OrderBy(static c => c.Key.Channel, StringComparer.Ordinal).ThenBy(static c => c.Key.Campaign, StringComparer.Ordinal)
            .Select(static c => new CampaignReturn(c.Key.Channel, c.Key.Campaign, c.Value.Spend, c.Value.Leads, c.Value.Mqls, c.Value.Opportunities, c.Value.Won,
                c.Value.CostPerLead, c.Value.CostPerMql, c.Value.CostPerOpportunity, c.Value.CostPerWonDeal,
                c.Value.FirstTouch, c.Value.LastTouch, c.Value.Linear, c.Value.FirstTouchReturn, c.Value.LastTouchReturn, c.Value.LinearReturn));
        var periods = tallies.ByMonth.Where(c => tallies.Listed.Contains(c.Key.Channel))
            .OrderBy(static c => c.Key.Month).ThenBy(static c => c.Key.Channel, StringComparer.Ordinal)
            .Select(static c => new PeriodReturn(c.Key.Month, c.Key.Channel, c.Value.Spend, c.Value.Leads, c.Value.Mqls, c.Value.Opportunities, c.Value.Won,
                c.Value.CostPerLead, c.Value.CostPerMql, c.Value.CostPerOpportunity, c.Value.CostPerWonDeal,
                c.Value.FirstTouch, c.Value.LastTouch, c.Value.Linear, c.Value.FirstTouchReturn, c.Value.LastTouchReturn, c.Value.LinearReturn));
        return new SpendReport(spent, deals, revenue, Per(spent, deals), [.. channels], [.. campaigns], [.. periods]);
    }

    /// <summary>The campaign and instant of the touch <see cref="DemandPlanner.ChannelOf"/> takes the lead's channel from.</summary>
    private static (string? Campaign, DateTimeOffset At) FirstTouchOf(FunnelLead lead)
    {
        if (lead.Touches.IsDefaultOrEmpty)
        {
            return (lead.Campaign, lead.CreatedAt);
        }

        var first = lead.Touches[0];
        foreach (var touch in lead.Touches)
        {
            if (touch.At < first.At || (touch.At == first.At && string.CompareOrdinal(touch.Source, first.Source) < 0))
            {
                first = touch;
            }
        }

        return (first.Campaign, first.At);
    }

    private static DateOnly MonthOf(DateTimeOffset at) => new(at.UtcDateTime.Year, at.UtcDateTime.Month, 1);

    private static decimal? Per(decimal amount, int count) => count == 0 ? null : decimal.Round(amount / count, 2);

    private static double? Return(decimal revenue, decimal spend) => spend == 0 ? null : Math.Round((double)(revenue / spend), 4);

    /// <summary>The spend, funnel and credited revenue of one key, and the figures made of them.</summary>
    private readonly record struct Tally(decimal Spend, int Leads, int Mqls, int Opportunities, int Won, decimal FirstTouch, decimal LastTouch, decimal Linear)
    {
        public decimal? CostPerLead => Per(Spend, Leads);

        public decimal? CostPerMql => Per(Spend, Mqls);

        public decimal? CostPerOpportunity => Per(Spend, Opportunities);

        public decimal? CostPerWonDeal => Per(Spend, Won);

        public double? FirstTouchReturn => Return(FirstTouch, Spend);

        public double? LastTouchReturn => Return(LastTouch, Spend);

        public double? LinearReturn => Return(Linear, Spend);

        public static Tally operator +(Tally a, Tally b) => new(a.Spend + b.Spend, a.Leads + b.Leads, a.Mqls + b.Mqls, a.Opportunities + b.Opportunities,
            a.Won + b.Won, a.FirstTouch + b.FirstTouch, a.LastTouch + b.LastTouch, a.Linear + b.Linear);
    }

    private sealed class Tallies
    {
        public Dictionary<string, Tally> ByChannel { get; } = new(StringComparer.Ordinal);

        // Value tuples compare their strings ordinally.
        public Dictionary<(string Channel, string? Campaign), Tally> ByCampaign { get; } = [];

        public Dictionary<(DateOnly Month, string Channel), Tally> ByMonth { get; } = [];

        /// <summary>The channels with spend or leads: the report's channels.</summary>
        public HashSet<string> Listed { get; } = new(StringComparer.Ordinal);

        public void Add(string channel, string? campaign, DateOnly month, Tally tally, bool listed)
        {
            campaign = string.IsNullOrWhiteSpace(campaign) ? null : campaign;
            ByChannel[channel] = ByChannel.GetValueOrDefault(channel) + tally;
            ByCampaign[(channel, campaign)] = ByCampaign.GetValueOrDefault((channel, campaign)) + tally;
            ByMonth[(month, channel)] = ByMonth.GetValueOrDefault((month, channel)) + tally;
            if (listed)
            {
                Listed.Add(channel);
            }
        }
    }
}
