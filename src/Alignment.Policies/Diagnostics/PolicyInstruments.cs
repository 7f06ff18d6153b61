using System.Diagnostics.Metrics;

namespace Alignment.Policies.Diagnostics;

/// <summary>
/// The one definition (name, unit, description) of each instrument that more than one engine of this package records, so that
/// an OpenTelemetry exporter never sees the same name described twice.
/// </summary>
internal static class PolicyInstruments
{
    /// <summary>The name of the counter of leads returned to marketing for nurture.</summary>
    public const string RecycledName = "alignment.leads.recycled";

    /// <summary>
    /// The counter of leads returned to marketing for nurture: by the lifecycle recorder (tag <c>from</c>, the stage the lead left)
    /// and by the router when sales reject a lead for timing (tag <c>reason</c>, the rejection reason's code).
    /// </summary>
    /// <param name="meter">The engine's meter.</param>
    /// <returns>The counter.</returns>
    public static Counter<long> Recycled(Meter meter) =>
        meter.CreateCounter<long>(RecycledName, "{lead}", "Leads returned to marketing for nurture: tag 'from' (the stage left) when the lifecycle recorder moved them, 'reason' when sales rejected them for timing.");
}
