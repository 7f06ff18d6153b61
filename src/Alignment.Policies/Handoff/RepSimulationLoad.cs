using Alignment.Handoff;

namespace Alignment.Policies.Handoff;

/// <summary>One rep's load over a simulation.</summary>
/// <param name="rep">The rep.</param>
/// <param name="assigned">Leads assigned.</param>
/// <param name="peakOpen">The most leads held open at once.</param>
/// <param name="capacityHits">How often the rep was passed over for being at a cap (open or daily).</param>
public sealed class RepSimulationLoad(RepId rep, int assigned, int peakOpen, int capacityHits)
{
    /// <summary>The rep.</summary>
    public RepId Rep { get; } = rep;

    /// <summary>Leads assigned.</summary>
    public int Assigned { get; } = assigned;

    /// <summary>The most leads held open at once.</summary>
    public int PeakOpen { get; } = peakOpen;

    /// <summary>How often the rep was passed over for being at a cap (open or daily).</summary>
    public int CapacityHits { get; } = capacityHits;
}
