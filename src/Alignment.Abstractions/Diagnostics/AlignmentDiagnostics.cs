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
/// <c>alignment.sla.breached</c>, <c>alignment.leads.recycled</c>, <c>alignment.nurture.enrolled</c>,
/// <c>alignment.nurture.steps</c>, <c>alignment.nurture.exits</c>. Threshold crossings are not counted by the engine (it
/// scores one instant at a time); a host that detects them with <c>ThresholdCrossing.TryDetect</c> counts them itself.
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
