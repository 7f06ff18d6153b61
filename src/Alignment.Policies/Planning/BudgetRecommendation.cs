using System.Collections.Immutable;

namespace Alignment.Policies.Planning;

/// <summary>Next period's budget split between the channels by a <see cref="BudgetRule"/>. Made by <see cref="BudgetPlanner.Recommend"/>.</summary>
/// <param name="Budget">The budget split.</param>
/// <param name="Model">The attribution model the weights came from.</param>
/// <param name="Channels">Per channel, ordered by name.</param>
public sealed record BudgetRecommendation(decimal Budget, AttributionModel Model, ImmutableArray<ChannelBudget> Channels);

/// <summary>One channel's part of a recommended budget.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="PreviousSpend">What it spent in the history the rule read.</param>
/// <param name="Return">Its won revenue per unit of spend in that history (the weight); <see langword="null"/> without spend there, which weighs 0.</param>
/// <param name="Floor">Its floor (share).</param>
/// <param name="Cap">Its cap (share).</param>
/// <param name="Share">Its share of the budget, rounded to four places.</param>
/// <param name="Amount">Its amount, in cents; the amounts add up exactly to the budget.</param>
/// <param name="Bound">Why it got what it got: <c>floor</c> (held at its floor), <c>cap</c> (held at its cap) or <c>return</c> (by its return).</param>
public sealed record ChannelBudget(string Channel, decimal PreviousSpend, double? Return, double Floor, double Cap, double Share, decimal Amount, string Bound);

/// <summary>The rule replayed over past months: what it would have spent and the revenue that would have brought. Made by <see cref="BudgetPlanner.Backtest"/>.</summary>
/// <param name="Model">The attribution model.</param>
/// <param name="Months">Every month after the first with spend, oldest first.</param>
/// <param name="ActualRevenue">The revenue the actual spend brought in those months, summed.</param>
/// <param name="RuleRevenue">The revenue the rule's spend would have brought, summed.</param>
public sealed record BudgetBacktest(AttributionModel Model, ImmutableArray<BudgetBacktestMonth> Months, decimal ActualRevenue, decimal RuleRevenue);

/// <summary>One replayed month.</summary>
/// <param name="Month">The month's first day.</param>
/// <param name="Spend">What was actually spent (and what the rule split).</param>
/// <param name="ActualRevenue">Won revenue credited to the month's leads on the channels with spend.</param>
/// <param name="RuleRevenue">The revenue the rule's split would have brought: each channel's recommended amount × its revenue per unit of spend in the month (0 for a channel that spent nothing in the month, whose return there is unknown).</param>
/// <param name="Recommendation">The rule's split, made from the months before.</param>
public sealed record BudgetBacktestMonth(DateOnly Month, decimal Spend, decimal ActualRevenue, decimal RuleRevenue, BudgetRecommendation Recommendation);
