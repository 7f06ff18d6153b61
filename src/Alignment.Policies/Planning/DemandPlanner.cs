using System.Collections.Immutable;
using System.Globalization;
using Alignment.Lifecycle;
using Alignment.Policies.Metrics;

namespace Alignment.Policies.Planning;

/// <summary>
/// Plans demand backwards from revenue targets (the reverse waterfall): deals to win = revenue ÷ the average won deal; each
/// earlier stage = the next stage's count ÷ the measured conversion between them; each count is needed the measured median days
/// before the target's month. Rates, days and deal size are measured from the history of the target's segment or team. Per channel,
/// the group's revenue is split by each channel's share of the group's won revenue in history and worked back through the channel's
/// own deal size and rates (the group's, flagged, where the channel's own rest on too little history), in the group's months.
/// </summary>
/// <remarks>
/// Stateless, deterministic and thread-safe. Counts are summed per month before they are rounded up, so rounding does not compound
/// along the funnel. Rates are cohort rates over every lead of the history, open ones included, so a history with many young leads
/// plans more demand rather than less.
/// </remarks>
public static partial class DemandPlanner
{
    private const string None = "(none)";
    private static readonly ImmutableArray<LifecycleStage> Funnel = AlignmentMetrics.Funnel;

    /// <summary>Makes the plan.</summary>
    /// <param name="history">The leads with their lifecycle history, amounts and sources.</param>
    /// <param name="targets">The revenue targets, company-wide or per segment or team.</param>
    /// <param name="options">The plan's instant and the minimum sample.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ArgumentNullException">An argument, a lead or a target is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The options are out of range.</exception>
    public static DemandPlan Plan(IEnumerable<FunnelLead> history, IEnumerable<RevenueTarget> targets, DemandPlanOptions options)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var leads = history.ToArray();
        foreach (var lead in leads)
        {
            ArgumentNullException.ThrowIfNull(lead, nameof(history));
        }

        var all = targets.ToArray();
        foreach (var target in all)
        {
            ArgumentNullException.ThrowIfNull(target, nameof(targets));
        }

        var warnings = new List<string>();
        var groups = ImmutableArray.CreateBuilder<PlanGroup>();
        var months = new List<PlannedMonth>();
        var channels = new List<PlannedChannel>();
        var asOfMonth = new DateOnly(options.AsOf.UtcDateTime.Year, options.AsOf.UtcDateTime.Month, 1);
        foreach (var group in all.GroupBy(static t => (t.Segment, t.Team))
                     .OrderBy(static g => g.Key.Segment ?? string.Empty, StringComparer.Ordinal)
                     .ThenBy(static g => g.Key.Team ?? string.Empty, StringComparer.Ordinal))
        {
            var (segment, team) = group.Key;
            var label = Label(segment, team);
            var members = leads.Where(l => (segment is null || string.Equals(l.Segment?.Value, segment, StringComparison.Ordinal))
                                           && (team is null || string.Equals(l.Team, team, StringComparison.Ordinal))).ToArray();
            var funnel = Measure(members, options, label, warnings);
            var split = SplitByChannel(members, funnel, options, label, warnings);
            var channelNeeds = new Dictionary<DateOnly, double[][]>();

            // Exact counts per month and stage (index as in Funnel), summed before rounding; NaN marks "cannot be planned".
            var needs = new SortedDictionary<DateOnly, (double[] Counts, decimal Revenue)>();
            foreach (var target in group)
            {
                var counts = Needed((double)target.Revenue, funnel);
                var channelCounts = split.Select(c => Needed((double)(target.Revenue * c.Share), c.Funnel)).ToArray();
                var at = target.Month.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
                var daysBefore = 0.0;
                for (var i = Funnel.Length - 1; i >= 0; i--)
                {
                    if (i < Funnel.Length - 1)
                    {
                        daysBefore += funnel.Days[i];
                    }

                    // A target in the first months of year 1 with more days before it than there are: the earliest month.
                    var when = daysBefore >= (at - DateTime.MinValue).TotalDays ? DateTime.MinValue : at.AddDays(-daysBefore);
                    var month = new DateOnly(when.Year, when.Month, 1);
                    if (!needs.TryGetValue(month, out var entry))
                    {
                        entry = (new double[Funnel.Length], 0m);
                    }

                    entry.Counts[i] += counts[i];
                    if (!channelNeeds.TryGetValue(month, out var byChannel))
                    {
                        byChannel = [.. split.Select(static _ => new double[Funnel.Length])];
                        channelNeeds[month] = byChannel;
                    }

                    for (var c = 0; c < split.Count; c++)
                    {
                        byChannel[c][i] += channelCounts[c][i];
                    }

                    if (i == Funnel.Length - 1)
                    {
                        entry.Revenue += target.Revenue;
                    }

                    needs[month] = entry;
                }
            }

            foreach (var (month, (counts, revenue)) in needs)
            {
                months.Add(new PlannedMonth(month, segment, team, revenue, Up(counts[5]), Up(counts[4]), Up(counts[3]), Up(counts[2]), Up(counts[1]), Up(counts[0])));
                if (Array.TrueForAll(counts, static c => c == 0))
                {
                    continue;
                }

                var byChannel = channelNeeds[month];
                for (var c = 0; c < split.Count; c++)
                {
                    var (channel, share, _, fallbacks) = split[c];
                    var x = byChannel[c];
                    channels.Add(new PlannedChannel(month, segment, team, channel, Math.Round((double)share, 4), decimal.Round(revenue * share, 2),
                        Up(x[5]), Up(x[4]), Up(x[3]), Up(x[2]), Up(x[1]), Up(x[0]), fallbacks));
                }
            }

            var pipeline = Pipeline(members, funnel, group.Where(t => t.Month >= asOfMonth).Sum(static t => t.Revenue), options.AsOf);
            groups.Add(new PlanGroup(segment, team, members.Length, funnel.WonDeals, funnel.AverageDeal, funnel.DealTrusted, funnel.Conversions, pipeline));
        }

        return new DemandPlan(options.AsOf, groups.ToImmutable(), [.. months], [.. channels], [.. warnings]);
    }

    private sealed record MeasuredFunnel(double[] Rates, double[] Days, ImmutableArray<PlanConversion> Conversions, int WonDeals, decimal? AverageDeal, bool DealTrusted, decimal WonRevenue);

    // Without warnings (null) for a channel's own funnel: the channel's plan names what it takes from the group instead.
    private static MeasuredFunnel Measure(FunnelLead[] leads, DemandPlanOptions options, string label, List<string>? warnings)
    {
        if (leads.Length == 0)
        {
            warnings?.Add($"{label}: the history has no lead; nothing can be planned.");
        }

        var reached = new int[Funnel.Length];
        foreach (var lead in leads)
        {
            for (var i = 0; i < Funnel.Length; i++)
            {
                reached[i] += AlignmentMetrics.Reached(lead, Funnel[i]) ? 1 : 0;
            }
        }

        var rates = new double[Funnel.Length - 1];
        var days = new double[Funnel.Length - 1];
        var conversions = ImmutableArray.CreateBuilder<PlanConversion>(Funnel.Length - 1);
        for (var i = 0; i < Funnel.Length - 1; i++)
        {
            var moves = new List<double>();
            foreach (var lead in leads)
            {
                var from = i == 0 ? lead.CreatedAt : AlignmentMetrics.FirstEntry(lead, Funnel[i], DateTimeOffset.MinValue);
                if (from is { } f && AlignmentMetrics.FirstEntry(lead, Funnel[i + 1], f) is { } t)
                {
                    moves.Add((t - f).TotalDays);
                }
            }

            var count = moves.Count;
            var median = AlignmentMetrics.Percentile(moves, 0.5, interpolate: true);
            rates[i] = reached[i] == 0 ? 0 : (double)reached[i + 1] / reached[i];
            days[i] = median ?? 0;
            var trusted = reached[i] >= options.MinimumSample && count >= options.MinimumSample;
            conversions.Add(new PlanConversion(Funnel[i], Funnel[i + 1], reached[i], reached[i + 1], Math.Round(rates[i], 4), median, trusted));
            if (leads.Length > 0 && reached[i + 1] == 0)
            {
                warnings?.Add($"{label}: no lead went from {Funnel[i]} to {Funnel[i + 1]}; the stages before it cannot be planned.");
            }
            else if (leads.Length > 0 && !trusted)
            {
                warnings?.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{label}: {Funnel[i]} → {Funnel[i + 1]} rests on {reached[i]} leads, {count} of which made the move (fewer than {options.MinimumSample}); not trusted."));
            }
        }

        var amounts = leads.Where(static l => l.WonAmount is not null && AlignmentMetrics.Reached(l, LifecycleStage.Won)).Select(static l => l.WonAmount!.Value).ToArray();
        decimal? average = amounts.Length == 0 ? null : decimal.Round(amounts.Sum() / amounts.Length, 2);
        var dealTrusted = amounts.Length >= options.MinimumSample;
        if (leads.Length > 0 && amounts.Length == 0)
        {
            warnings?.Add($"{label}: no won deal with an amount; the deals a target needs cannot be counted.");
        }
        else if (leads.Length > 0 && !dealTrusted)
        {
            warnings?.Add(string.Create(CultureInfo.InvariantCulture, $"{label}: the average deal size rests on {amounts.Length} won deals (fewer than {options.MinimumSample}); not trusted."));
        }

        return new MeasuredFunnel(rates, days, conversions.MoveToImmutable(), amounts.Length, average, dealTrusted, amounts.Sum());
    }

    private static double[] Needed(double revenue, MeasuredFunnel funnel)
    {
        var counts = new double[Funnel.Length];
        counts[^1] = revenue == 0 ? 0 : funnel.AverageDeal is { } deal && deal > 0 ? revenue / (double)deal : double.NaN;
        for (var i = Funnel.Length - 2; i >= 0; i--)
        {
            counts[i] = counts[i + 1] == 0 ? 0 : funnel.Rates[i] > 0 ? counts[i + 1] / funnel.Rates[i] : double.NaN;
        }

        return counts;
    }

    private static PipelineCoverage Pipeline(FunnelLead[] leads, MeasuredFunnel funnel, decimal targetRevenue, DateTimeOffset asOf)
    {
        var open = new int[Funnel.Length - 1];
        foreach (var lead in leads)
        {
            if (lead.CreatedAt > asOf)
            {
                continue;
            }

            var stage = LifecycleStage.Inquiry;
            foreach (var move in lead.Lifecycle.History)
            {
                if (move.At <= asOf)
                {
                    stage = move.To;
                }
            }

            var index = Funnel.IndexOf(stage);
            if (index >= 0 && index < open.Length)
            {
                open[index]++;
            }
        }

        // The chance that a lead at stage i is won: the product of the rates from i on.
        var chance = new double[Funnel.Length];
        chance[^1] = 1;
        for (var i = Funnel.Length - 2; i >= 0; i--)
        {
            chance[i] = chance[i + 1] * funnel.Rates[i];
        }

        var expected = 0.0;
        for (var i = 0; i < open.Length; i++)
        {
            expected += open[i] * chance[i];
        }

        var expectedRevenue = funnel.AverageDeal is { } deal ? decimal.Round((decimal)expected * deal, 2) : 0m;
        var gap = Math.Max(0m, targetRevenue - expectedRevenue);
        int? gapLeads = gap == 0 ? 0 : funnel.AverageDeal is { } d && d > 0 && chance[0] > 0 ? Up((double)(gap / d) / chance[0]) : null;
        return new PipelineCoverage(open[0], open[1], open[2], open[3], open[4], Math.Round(expected, 2), expectedRevenue, targetRevenue, gap, gapLeads);
    }

    /// <summary>A lead's channel: the source of its first marketing touch, else its source, else <c>(none)</c>.</summary>
    internal static string ChannelOf(FunnelLead lead)
    {
        if (!lead.Touches.IsDefaultOrEmpty)
        {
            var first = lead.Touches[0];
            foreach (var touch in lead.Touches)
            {
                if (touch.At < first.At || (touch.At == first.At && string.CompareOrdinal(touch.Source, first.Source) < 0))
                {
                    first = touch;
                }
            }

            return first.Source;
        }

        return string.IsNullOrEmpty(lead.Source) ? None : lead.Source;
    }

    // Rounded up; a count beyond int.MaxValue (a huge target at a tiny rate) is held at int.MaxValue rather than wrapping.
    private static int? Up(double value) => double.IsNaN(value) ? null : value >= int.MaxValue ? int.MaxValue : (int)Math.Ceiling(value - 1e-9);

    private static string Label(string? segment, string? team) => (segment, team) switch
    {
        (null, null) => "all leads",
        ({ } s, null) => $"segment '{s}'",
        (null, { } t) => $"team '{t}'",
        ({ } s, { } t) => $"segment '{s}', team '{t}'",
    };
}
