using System.Collections.Immutable;
using System.Globalization;
using Alignment.Lifecycle;
using Alignment.Policies.Planning;

namespace Alignment.Policies.Metrics;

/// <summary>
/// Computes the alignment metrics from lifecycle histories: demand waterfall and conversions (overall, per segment, source,
/// campaign and period), velocity (median days per stage), speed to lead (median and 95th percentile MQL → first touch, SLA
/// compliance, escalations), recycling per reason with return to MQL and wins, and closed-loop attribution of won revenue
/// (first touch, last touch, linear).
/// </summary>
/// <remarks>Stateless, deterministic and thread-safe: the same leads and options give the same report.</remarks>
public static class AlignmentMetrics
{
    internal static readonly ImmutableArray<LifecycleStage> Funnel =
        [LifecycleStage.Inquiry, LifecycleStage.MarketingQualified, LifecycleStage.SalesAccepted, LifecycleStage.SalesQualified, LifecycleStage.Opportunity, LifecycleStage.Won];

    private const string None = "(none)";

    /// <summary>Computes the report.</summary>
    /// <param name="leads">The leads.</param>
    /// <param name="options">When and how to cut.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException">An argument is null, or a lead is null.</exception>
    public static AlignmentMetricsReport Compute(IEnumerable<FunnelLead> leads, AlignmentMetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(options);
        var all = leads.ToArray();
        foreach (var lead in all)
        {
            ArgumentNullException.ThrowIfNull(lead, nameof(leads));
        }

        return new AlignmentMetricsReport(
            options.AsOf,
            all.Length,
            WaterfallOf(all),
            By(all, static l => l.Segment?.Value),
            By(all, static l => l.Source),
            By(all, static l => l.Campaign),
            By(all, l => PeriodKey(l.CreatedAt, options.Period)),
            Velocity(all),
            SpeedToLead(all, options.AsOf),
            Recycling(all),
            Attribution(all));
    }

    /// <summary>Computes the waterfall of some leads.</summary>
    /// <param name="leads">The leads.</param>
    /// <returns>Leads per stage and conversions.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="leads"/> is null.</exception>
    internal static Waterfall WaterfallOf(IReadOnlyCollection<FunnelLead> leads)
    {
        ArgumentNullException.ThrowIfNull(leads);
        var counts = new int[Funnel.Length];
        foreach (var lead in leads)
        {
            for (var i = 0; i < Funnel.Length; i++)
            {
                if (Reached(lead, Funnel[i]))
                {
                    counts[i]++;
                }
            }
        }

        var stages = ImmutableArray.CreateBuilder<StageCount>(Funnel.Length);
        var conversions = ImmutableArray.CreateBuilder<StageConversion>(Funnel.Length - 1);
        for (var i = 0; i < Funnel.Length; i++)
        {
            stages.Add(new StageCount(Funnel[i], counts[i]));
            if (i > 0)
            {
                conversions.Add(new StageConversion(Funnel[i - 1], Funnel[i], counts[i - 1], counts[i], Rate(counts[i], counts[i - 1]) ?? 0));
            }
        }

        return new Waterfall(stages.MoveToImmutable(), conversions.MoveToImmutable());
    }

    private static ImmutableArray<DimensionWaterfall> By(FunnelLead[] leads, Func<FunnelLead, string?> key) =>
        [.. leads.GroupBy(l => key(l) ?? None, StringComparer.Ordinal)
            .OrderBy(static g => g.Key, StringComparer.Ordinal)
            .Select(static g => new DimensionWaterfall(g.Key, WaterfallOf(g.ToArray())))];

    private static ImmutableArray<StageVelocity> Velocity(FunnelLead[] leads)
    {
        var result = ImmutableArray.CreateBuilder<StageVelocity>(Funnel.Length - 1);
        for (var i = 1; i < Funnel.Length; i++)
        {
            var days = new List<double>();
            foreach (var lead in leads)
            {
                var from = i == 1 ? lead.CreatedAt : FirstEntry(lead, Funnel[i - 1], DateTimeOffset.MinValue);
                if (from is { } f && FirstEntry(lead, Funnel[i], f) is { } t)
                {
                    days.Add((t - f).TotalDays);
                }
            }

            result.Add(new StageVelocity(Funnel[i - 1], Funnel[i], days.Count, Percentile(days, 0.5, interpolate: true)));
        }

        return result.MoveToImmutable();
    }

    private static SpeedToLeadReport SpeedToLead(FunnelLead[] leads, DateTimeOffset asOf)
    {
        var hours = new List<double>();
        int mql = 0, measured = 0, met = 0, escalations = 0;
        foreach (var lead in leads)
        {
            escalations += lead.Escalated ? 1 : 0;
            if (FirstEntry(lead, LifecycleStage.MarketingQualified, DateTimeOffset.MinValue) is not { } mqlAt)
            {
                continue;
            }

            mql++;
            if (lead.FirstSalesTouchAt is { } touch && touch >= mqlAt)
            {
                hours.Add((touch - mqlAt).TotalHours);
            }

            if (lead.SlaDueAt is { } due)
            {
                var touchedInTime = lead.FirstSalesTouchAt is { } t && t <= due;
                if (touchedInTime || due < asOf || lead.FirstSalesTouchAt is not null)
                {
                    measured++;
                    met += touchedInTime ? 1 : 0;
                }
            }
        }

        return new SpeedToLeadReport(mql, hours.Count, Percentile(hours, 0.5, interpolate: true), Percentile(hours, 0.95, interpolate: false), measured, met, Rate(met, measured), escalations);
    }

    private static RecyclingReport Recycling(FunnelLead[] leads)
    {
        var rows = new Dictionary<string, (int Recycled, int Mql, int Won)>(StringComparer.Ordinal);
        int total = 0, back = 0, won = 0;
        foreach (var lead in leads)
        {
            var history = lead.Lifecycle.History;
            for (var i = 0; i < history.Length; i++)
            {
                if (history[i].To != LifecycleStage.Recycled || history[i].From == LifecycleStage.Inquiry)
                {
                    continue;
                }

                var reason = ReasonCode(history[i].Reason);
                var cameBack = false;
                var wonLater = false;
                for (var j = i + 1; j < history.Length; j++)
                {
                    cameBack |= history[j].From == LifecycleStage.Recycled && history[j].To == LifecycleStage.MarketingQualified;
                    wonLater |= history[j].To == LifecycleStage.Won;
                }

                rows.TryGetValue(reason, out var row);
                rows[reason] = (row.Recycled + 1, row.Mql + (cameBack ? 1 : 0), row.Won + (wonLater ? 1 : 0));
                total++;
                back += cameBack ? 1 : 0;
                won += wonLater ? 1 : 0;
            }
        }

        return new RecyclingReport(total, back, won, [.. rows
            .OrderByDescending(static r => r.Value.Recycled).ThenBy(static r => r.Key, StringComparer.Ordinal)
            .Select(static r => new RecyclingRow(r.Key, r.Value.Recycled, r.Value.Mql, r.Value.Won))]);
    }

    internal static AttributionReport Attribution(FunnelLead[] leads)
    {
        Dictionary<(string, string), (decimal Revenue, double Deals)>[] models = [[], [], []];
        var (deals, revenue) = Credits(leads, (model, touch, amount, share) => Credit(models[(int)model], touch, amount, share));
        return new AttributionReport(deals, revenue, Rows(models[0]), Rows(models[1]), Rows(models[2]));
    }

    /// <summary>
    /// Walks the credits of every won deal under the three models: the touches up to the win (the lead's source and campaign at its
    /// creation when it has none), first-touch and last-touch crediting one touch with the whole revenue, linear sharing it equally
    /// (the last touch takes the rounding remainder). <paramref name="credit"/> gets the model, the touch, the revenue and the
    /// share of the deal.
    /// </summary>
    /// <returns>The won deals and their revenue.</returns>
    internal static (int Deals, decimal Revenue) Credits(FunnelLead[] leads, Action<AttributionModel, MarketingTouch, decimal, double> credit)
    {
        var deals = 0;
        var revenue = 0m;
        foreach (var lead in leads)
        {
            if (lead.Lifecycle.Stage != LifecycleStage.Won || lead.WonAmount is not { } amount)
            {
                continue;
            }

            var wonAt = FirstEntry(lead, LifecycleStage.Won, DateTimeOffset.MinValue) ?? DateTimeOffset.MaxValue;
            var touches = lead.Touches.IsDefaultOrEmpty
                ? [new MarketingTouch(lead.CreatedAt, lead.Source ?? None, lead.Campaign)]
                : lead.Touches.Where(t => t.At <= wonAt).OrderBy(static t => t.At).ThenBy(static t => t.Source, StringComparer.Ordinal).ToList();
            if (touches.Count == 0)
            {
                touches = [new MarketingTouch(lead.CreatedAt, lead.Source ?? None, lead.Campaign)];
            }

            deals++;
            revenue += amount;
            credit(AttributionModel.FirstTouch, touches[0], amount, 1);
            credit(AttributionModel.LastTouch, touches[^1], amount, 1);
            var share = decimal.Round(amount / touches.Count, 2);
            for (var i = 0; i < touches.Count; i++)
            {
                // The last touch takes the rounding remainder so the linear credits add up exactly to the revenue.
                credit(AttributionModel.Linear, touches[i], i == touches.Count - 1 ? amount - (share * (touches.Count - 1)) : share, 1.0 / touches.Count);
            }
        }

        return (deals, revenue);
    }

    private static void Credit(Dictionary<(string, string), (decimal Revenue, double Deals)> into, MarketingTouch touch, decimal revenue, double deals)
    {
        var key = (touch.Source, touch.Campaign ?? None);
        into.TryGetValue(key, out var v);
        into[key] = (v.Revenue + revenue, v.Deals + deals);
    }

    private static ImmutableArray<AttributionRow> Rows(Dictionary<(string Source, string Campaign), (decimal Revenue, double Deals)> credits) =>
        [.. credits.OrderByDescending(static c => c.Value.Revenue).ThenBy(static c => c.Key.Source, StringComparer.Ordinal).ThenBy(static c => c.Key.Campaign, StringComparer.Ordinal)
            .Select(static c => new AttributionRow(c.Key.Source, c.Key.Campaign, c.Value.Revenue, Math.Round(c.Value.Deals, 4)))];

    internal static bool Reached(FunnelLead lead, LifecycleStage stage)
    {
        if (stage == LifecycleStage.Inquiry)
        {
            return true;
        }

        foreach (var t in lead.Lifecycle.History)
        {
            if (t.To == stage)
            {
                return true;
            }
        }

        return false;
    }

    internal static DateTimeOffset? FirstEntry(FunnelLead lead, LifecycleStage stage, DateTimeOffset notBefore)
    {
        if (stage == LifecycleStage.Inquiry)
        {
            return lead.CreatedAt;
        }

        foreach (var t in lead.Lifecycle.History)
        {
            if (t.To == stage && t.At >= notBefore)
            {
                return t.At;
            }
        }

        return null;
    }

    private static string ReasonCode(string reason)
    {
        // "recycled to nurture: RecycledTiming (note)" (nurture) and "rejected by sales: timing (note)" (handoff) → the code.
        foreach (var prefix in (ReadOnlySpan<string>)["recycled to nurture: ", "rejected by sales: "])
        {
            if (reason.StartsWith(prefix, StringComparison.Ordinal))
            {
                var rest = reason[prefix.Length..];
                var cut = rest.IndexOfAny([' ', ';', '(']);
                return cut < 0 ? rest : rest[..cut];
            }
        }

        return reason;
    }

    private static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    internal static double? Percentile(List<double> values, double p, bool interpolate)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        if (!interpolate)
        {
            var rank = (int)Math.Ceiling(p * values.Count);
            return Math.Round(values[Math.Clamp(rank, 1, values.Count) - 1], 4);
        }

        var position = p * (values.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, values.Count - 1);
        return Math.Round(values[lower] + ((values[upper] - values[lower]) * (position - lower)), 4);
    }

    internal static string PeriodKey(DateTimeOffset at, MetricsPeriod period)
    {
        var utc = at.UtcDateTime;
        return period == MetricsPeriod.Quarter
            ? string.Create(CultureInfo.InvariantCulture, $"{utc.Year}-Q{((utc.Month - 1) / 3) + 1}")
            : utc.ToString("yyyy-MM", CultureInfo.InvariantCulture);
    }
}
