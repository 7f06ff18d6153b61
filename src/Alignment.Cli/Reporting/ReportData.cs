using System.Collections.Immutable;
using Alignment.Lifecycle;
using Alignment.Policies.Metrics;
using Alignment.Policies.Planning;

namespace Alignment.Cli.Reporting;

/// <summary>One month of the revenue plan against what was won in it.</summary>
/// <param name="Month">The month's first day.</param>
/// <param name="Target">The company-wide target.</param>
/// <param name="Won">Revenue of the deals won in the month.</param>
internal sealed record PlanActual(DateOnly Month, decimal Target, decimal Won);

/// <summary>
/// Everything the report shows, computed once from funnel leads, spend and the teams' plan: the alignment metrics, the demand plan,
/// both sides of the SLA, spend and return per channel, the recommended budget and its backtest. Used by <c>alignment report</c>
/// (from a CRM export) and by <c>alignment demo</c> (from the simulated year), so both show the same figures the same way.
/// </summary>
internal sealed record ReportData(
    DateTimeOffset From,
    DateTimeOffset AsOf,
    int Leads,
    AlignmentMetricsReport Metrics,
    PlanFile Plan,
    DemandPlan? Demand,
    ImmutableArray<PlanActual> PlanVsActual,
    SlaReport Sla,
    SpendReport? Spend,
    BudgetRecommendation? Budget,
    BudgetBacktest? Backtest)
{
    /// <summary>Computes the report.</summary>
    /// <param name="leads">The leads.</param>
    /// <param name="spend">The marketing spend (may be empty).</param>
    /// <param name="plan">The teams' plan.</param>
    /// <param name="asOf">The instant the report is taken at.</param>
    /// <param name="period">How the waterfall is cut into periods.</param>
    /// <param name="planFile">The plan's file name, for errors; <see langword="null"/> when the plan is built in.</param>
    /// <returns>The report.</returns>
    /// <exception cref="CliInputException">The budget rule cannot split a budget between the channels that spent.</exception>
    public static ReportData Compute(IReadOnlyList<FunnelLead> leads, IReadOnlyList<ChannelSpend> spend, PlanFile plan, DateTimeOffset asOf, MetricsPeriod period, string? planFile)
    {
        var metrics = AlignmentMetrics.Compute(leads, new AlignmentMetricsOptions { AsOf = asOf, Period = period });
        var demand = plan.Targets.IsEmpty ? null : DemandPlanner.Plan(leads, plan.Targets, new DemandPlanOptions { AsOf = asOf });
        var won = new Dictionary<DateOnly, decimal>();
        foreach (var lead in leads)
        {
            if (lead.Lifecycle.Stage == LifecycleStage.Won && lead.WonAmount is { } amount && lead.Lifecycle.History[^1].At is var at && at <= asOf)
            {
                var month = new DateOnly(at.UtcDateTime.Year, at.UtcDateTime.Month, 1);
                won[month] = won.GetValueOrDefault(month) + amount;
            }
        }

        var planVsActual = plan.Targets.Where(static t => t.Segment is null && t.Team is null)
            .GroupBy(static t => t.Month).OrderBy(static g => g.Key)
            .Select(g => new PlanActual(g.Key, g.Sum(static t => t.Revenue), won.GetValueOrDefault(g.Key)))
            .ToImmutableArray();
        var sla = SlaAttainment.Compute(leads, plan.Agreement, asOf);
        SpendReport? spendReport = null;
        BudgetRecommendation? budget = null;
        BudgetBacktest? backtest = null;
        if (spend.Count > 0)
        {
            spendReport = SpendAnalysis.Compute(leads, spend);
            var lastMonth = spend.Max(static s => s.Month);
            try
            {
                budget = BudgetPlanner.Recommend(spendReport, plan.Budget ?? spend.Where(s => s.Month == lastMonth).Sum(static s => s.Amount), plan.Rule);
                backtest = BudgetPlanner.Backtest(leads, spend, plan.Rule);
            }
            catch (ArgumentException e)
            {
                throw new CliInputException(planFile ?? "the built-in plan", null, "$.budget", e.Message.Split(" (Parameter")[0]);
            }
        }

        var from = leads.Count == 0 ? asOf : leads.Min(static l => l.CreatedAt);
        return new ReportData(from, asOf, leads.Count, metrics, plan, demand, planVsActual, sla, spendReport, budget, backtest);
    }
}
