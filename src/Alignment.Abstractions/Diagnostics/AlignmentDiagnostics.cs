using System.Diagnostics;

namespace Alignment.Diagnostics;

/// <summary>
/// The names under which Alignment reports metrics (<see cref="System.Diagnostics.Metrics"/>) and traces
/// (<see cref="ActivitySource"/>), so that a host's OpenTelemetry picks them up with
/// <c>AddMeter(AlignmentDiagnostics.MeterName)</c> and <c>AddSource(AlignmentDiagnostics.ActivitySourceName)</c>.
/// </summary>
/// <remarks>
/// Instruments (all counters of decisions, tagged by outcome, never by lead e-mail or name):
/// <c>alignment.leads.scored</c>, <c>alignment.leads.segmented</c>, <c>alignment.leads.routed</c>,
/// <c>alignment.sla.breached</c>, <c>alignment.nurture.enrolled</c>, <c>alignment.leads.recycled</c>,
/// <c>alignment.threshold.crossed</c>.
/// </remarks>
public static class AlignmentDiagnostics
{
    /// <summary>The meter name: <c>Alignment</c>.</summary>
    public const string MeterName = "Alignment";

    /// <summary>The activity source name: <c>Alignment</c>.</summary>
    public const string ActivitySourceName = "Alignment";

    /// <summary>The activity source every package traces long operations with (batch scoring, clustering, simulations).</summary>
    public static ActivitySource ActivitySource { get; } = new(ActivitySourceName, typeof(AlignmentDiagnostics).Assembly.GetName().Version?.ToString());
}
