using System.Collections.Immutable;
using Alignment.Policies.Metrics;

namespace Alignment.Policies.Planning;

/// <summary>
/// Sets marketing's budget by the sales that closed: recommends next period's split between channels by a <see cref="BudgetRule"/>,
/// and replays the rule over past months to compare the revenue it would have brought with what the actual spend brought.
/// </summary>
/// <remarks>
/// The backtest assumes a channel's revenue grows in proportion to its spend within a month (its return in the month stays as
/// measured); it shows the direction the rule moves money, not a forecast. Stateless, deterministic and thread-safe.
/// </remarks>
public static class BudgetPlanner
{
    /// <summary>Splits a budget between the channels of a spend report by the rule.</summary>
    /// <param name="history">What the channels spent and brought.</param>
    /// <param name="budget">The budget to split; zero or more.</param>
    /// <param name="rule">The rule.</param>
    /// <returns>The split. Channels are those with spend in <paramref name="history"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="budget"/> is negative.</exception>
    /// <exception cref="ArgumentException">The rule cannot split a budget between the channels (<see cref="BudgetRule.Validate"/>).</exception>
    public static BudgetRecommendation Recommend(SpendReport history, decimal budget, BudgetRule rule)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(rule);
        if (budget < 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(budget), budget, "The budget must be zero or more.");
        }
        var channels = history.Channels.Where(static c => c.Spend > 0).ToArray();
        rule.Validate([.. channels.Select(static c => c.Channel)]);
        if (channels.Length == 0)
        {
            return new BudgetRecommendation(budget, rule.Model, []);
        }

        var weights = channels.Select(c => c.ReturnUnder(rule.Model) ?? 0).ToArray();
        var floors = channels.Select(c => rule.FloorOf(c.Channel)).ToArray();
        var caps = channels.Select(c => rule.CapOf(c.Channel)).ToArray();
        var shares = Split(weights, floors, caps);
        var amounts = Cents(shares, budget);
        var result = ImmutableArray.CreateBuilder<ChannelBudget>(channels.Length);
        for (var i = 0; i < channels.Length; i++)
        {
            var bound = shares[i] <= floors[i] + 1e-9 ? "floor" : shares[i] >= caps[i] - 1e-9 ? "cap" : "return";
            result.Add(new ChannelBudget(channels[i].Channel, channels[i].Spend, channels[i].ReturnUnder(rule.Model), floors[i], caps[i], Math.Round(shares[i], 4), amounts[i], bound));
        }

        return new BudgetRecommendation(budget, rule.Model, result.MoveToImmutable());
    }

    /// <summary>
    /// Replays the rule: for every month after the first with spend, splits what was actually spent in it by the rule over the months
    /// before (their spend, and the revenue of the leads created in them), and values both splits at the month's measured return per
    /// channel.
    /// </summary>
    /// <param name="leads">The leads with their history, touches and won amounts (each counts in the month it was created).</param>
    /// <param name="spend">The spend rows.</param>
    /// <param name="rule">The rule.</param>
    /// <returns>The replay.</returns>
    /// <exception cref="ArgumentNullException">An argument, a lead or a spend row is null.</exception>
    /// <exception cref="ArgumentException">The rule cannot split a budget between the channels of some month's history.</exception>
    public static BudgetBacktest Backtest(IEnumerable<FunnelLead> leads, IEnumerable<ChannelSpend> spend, BudgetRule rule)
    {
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentNullException.ThrowIfNull(rule);
        var all = leads.ToArray();
        var rows = spend.ToArray();
        foreach (var row in rows)
        {
            ArgumentNullException.ThrowIfNull(row, nameof(spend));
        }

        var months = rows.Select(static r => r.Month).Distinct().Order().ToArray();
        var result = ImmutableArray.CreateBuilder<BudgetBacktestMonth>();
        decimal actualTotal = 0, ruleTotal = 0;
        for (var m = 1; m < months.Length; m++)
        {
            var month = months[m];
            var start = new DateTimeOffset(month.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var end = start.AddMonths(1);
            var before = SpendAnalysis.Compute(all.Where(l => l.CreatedAt < start), rows.Where(r => r.Month < month));
            var now = SpendAnalysis.Compute(all.Where(l => l.CreatedAt >= start && l.CreatedAt < end), rows.Where(r => r.Month == month));
            var budget = rows.Where(r => r.Month == month).Sum(static r => r.Amount);
            var recommendation = Recommend(before, budget, rule);
            decimal actual = 0, byRule = 0;
            foreach (var channel in now.Channels.Where(static c => c.Spend > 0))
            {
                var revenue = channel.RevenueUnder(rule.Model);
                actual += revenue;
                var amount = recommendation.Channels.FirstOrDefault(c => string.Equals(c.Channel, channel.Channel, StringComparison.Ordinal))?.Amount ?? 0;
                // In double: amount × revenue can pass decimal's range for hostile inputs; the value is held at 1e27.
                byRule += decimal.Round((decimal)Math.Min((double)amount * (double)revenue / (double)channel.Spend, 1e27), 2);
            }

            result.Add(new BudgetBacktestMonth(month, budget, actual, byRule, recommendation));
            actualTotal += actual;
            ruleTotal += byRule;
        }

        return new BudgetBacktest(rule.Model, result.ToImmutable(), actualTotal, ruleTotal);
    }

    /// <summary>Floors first, then water-filling by weight under the caps; equal shares among channels with room when no weight is left.</summary>
    internal static double[] Split(double[] weights, double[] floors, double[] caps)
    {
        var shares = (double[])floors.Clone();
        for (var round = 0; round <= weights.Length + 1; round++)
        {
            var rest = 1 - shares.Sum();
            if (rest <= 1e-12)
            {
                break;
            }

            var room = Enumerable.Range(0, shares.Length).Where(i => shares[i] < caps[i] - 1e-12).ToArray();
            if (room.Length == 0)
            {
                break;
            }

            var weighted = room.Where(i => weights[i] > 0).ToArray();
            var total = weighted.Sum(i => weights[i]);
            foreach (var i in weighted.Length > 0 ? weighted : room)
            {
                var part = weighted.Length > 0 ? rest * weights[i] / total : rest / room.Length;
                shares[i] = Math.Min(caps[i], shares[i] + part);
            }
        }

        return shares;
    }

    /// <summary>Amounts in cents that add up exactly to the budget (largest remainders get the odd cents).</summary>
    private static decimal[] Cents(double[] shares, decimal budget)
    {
        var sum = shares.Sum();
        var exact = shares.Select(s => sum == 0 ? 0 : budget * (decimal)(s / sum)).ToArray();
        var amounts = exact.Select(static e => decimal.Floor(e * 100) / 100).ToArray();
        var left = (int)decimal.Round((budget - amounts.Sum()) * 100);
        foreach (var i in Enumerable.Range(0, exact.Length).OrderByDescending(i => exact[i] - amounts[i]).ThenBy(static i => i).Take(Math.Max(0, left)))
        {
            amounts[i] += 0.01m;
        }

        return amounts;
    }
}
