namespace Alignment.Policies.Metrics;

/// <summary>How <see cref="AlignmentMetrics.Compute"/> cuts and measures.</summary>
public sealed class AlignmentMetricsOptions
{
    /// <summary>The instant the metrics are taken at (a service level still running at it is left out of compliance).</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>How periods are cut.</summary>
    /// <value>Defaults to <see cref="MetricsPeriod.Month"/>.</value>
    public MetricsPeriod Period { get; init; } = MetricsPeriod.Month;
}
