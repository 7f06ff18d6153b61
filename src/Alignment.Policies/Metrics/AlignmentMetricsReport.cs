using System.Collections.Immutable;
using System.Text.Json;

namespace Alignment.Policies.Metrics;

/// <summary>The alignment metrics of a set of leads: the demand waterfall (overall and per segment, source, campaign and period), velocity, speed to lead, recycling and attribution.</summary>
/// <param name="AsOf">When the metrics were taken.</param>
/// <param name="Leads">Leads measured.</param>
/// <param name="Overall">The waterfall of every lead.</param>
/// <param name="BySegment">The waterfall per segment.</param>
/// <param name="BySource">The waterfall per lead source.</param>
/// <param name="ByCampaign">The waterfall per campaign.</param>
/// <param name="ByPeriod">The waterfall per period of creation.</param>
/// <param name="Velocity">Median days per stage.</param>
/// <param name="SpeedToLead">MQL to first touch, and the service level.</param>
/// <param name="Recycling">Recycles per reason and their return.</param>
/// <param name="Attribution">Won revenue per source and campaign.</param>
public sealed record AlignmentMetricsReport(
    DateTimeOffset AsOf,
    int Leads,
    Waterfall Overall,
    ImmutableArray<DimensionWaterfall> BySegment,
    ImmutableArray<DimensionWaterfall> BySource,
    ImmutableArray<DimensionWaterfall> ByCampaign,
    ImmutableArray<DimensionWaterfall> ByPeriod,
    ImmutableArray<StageVelocity> Velocity,
    SpeedToLeadReport SpeedToLead,
    RecyclingReport Recycling,
    AttributionReport Attribution)
{
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
