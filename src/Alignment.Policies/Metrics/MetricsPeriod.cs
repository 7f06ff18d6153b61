namespace Alignment.Policies.Metrics;

/// <summary>How the waterfall is cut into periods (by the lead's creation date, UTC).</summary>
public enum MetricsPeriod
{
    /// <summary>Calendar months, <c>2026-03</c>.</summary>
    Month = 0,

    /// <summary>Calendar quarters, <c>2026-Q1</c>.</summary>
    Quarter = 1,
}
