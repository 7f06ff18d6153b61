using System.Text.Json.Serialization;
using System.Collections.Immutable;
using System.Text.Json;

namespace Alignment.Policies.Metrics;

/// <summary>The alignment metrics of a set of leads: the demand waterfall (overall and per segment, source, campaign and period), velocity, speed to lead, recycling and attribution.</summary>
public sealed class AlignmentMetricsReport
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="asOf">When the metrics were taken.</param>
    /// <param name="leads">Leads measured.</param>
    /// <param name="overall">The waterfall of every lead.</param>
    /// <param name="bySegment">The waterfall per segment.</param>
    /// <param name="bySource">The waterfall per lead source.</param>
    /// <param name="byCampaign">The waterfall per campaign.</param>
    /// <param name="byPeriod">The waterfall per period of creation.</param>
    /// <param name="velocity">Median days per stage.</param>
    /// <param name="speedToLead">MQL to first touch, and the service level.</param>
    /// <param name="recycling">Recycles per reason and their return.</param>
    /// <param name="attribution">Won revenue per source and campaign.</param>
    [JsonConstructor]
    internal AlignmentMetricsReport(DateTimeOffset asOf, int leads, Waterfall overall, ImmutableArray<DimensionWaterfall> bySegment, ImmutableArray<DimensionWaterfall> bySource, ImmutableArray<DimensionWaterfall> byCampaign, ImmutableArray<DimensionWaterfall> byPeriod, ImmutableArray<StageVelocity> velocity, SpeedToLeadReport speedToLead, RecyclingReport recycling, AttributionReport attribution)
    {
        AsOf = asOf;
        Leads = leads;
        Overall = overall;
        BySegment = bySegment;
        BySource = bySource;
        ByCampaign = byCampaign;
        ByPeriod = byPeriod;
        Velocity = velocity;
        SpeedToLead = speedToLead;
        Recycling = recycling;
        Attribution = attribution;
    }

    /// <summary>When the metrics were taken.</summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>Leads measured.</summary>
    public int Leads { get; }

    /// <summary>The waterfall of every lead.</summary>
    public Waterfall Overall { get; }

    /// <summary>The waterfall per segment.</summary>
    public ImmutableArray<DimensionWaterfall> BySegment { get; }

    /// <summary>The waterfall per lead source.</summary>
    public ImmutableArray<DimensionWaterfall> BySource { get; }

    /// <summary>The waterfall per campaign.</summary>
    public ImmutableArray<DimensionWaterfall> ByCampaign { get; }

    /// <summary>The waterfall per period of creation.</summary>
    public ImmutableArray<DimensionWaterfall> ByPeriod { get; }

    /// <summary>Median days per stage.</summary>
    public ImmutableArray<StageVelocity> Velocity { get; }

    /// <summary>MQL to first touch, and the service level.</summary>
    public SpeedToLeadReport SpeedToLead { get; }

    /// <summary>Recycles per reason and their return.</summary>
    public RecyclingReport Recycling { get; }

    /// <summary>Won revenue per source and campaign.</summary>
    public AttributionReport Attribution { get; }

    /// <summary>Writes the report as JSON (camelCase, stages by name) with a source-generated serializer.</summary>
    /// <param name="indented">Whether to indent.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = true) =>
        JsonSerializer.Serialize(this, indented ? IndentedMetricsJsonContext.Default.AlignmentMetricsReport : MetricsJsonContext.Default.AlignmentMetricsReport);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The report.</returns>
    /// <exception cref="JsonException">The text is not a report; the message gives the path.</exception>
    public static AlignmentMetricsReport FromJson(string json) =>
        JsonSerializer.Deserialize(json, MetricsJsonContext.Default.AlignmentMetricsReport) ?? throw new JsonException("The JSON text is null; expected an alignment metrics report.");
}
