using Alignment.Handoff;

namespace Alignment.Policies.Handoff;

/// <summary>One rep's load over a simulation.</summary>
internal sealed class RepSimulationLoad
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="rep">The rep.</param>
    /// <param name="assigned">Leads assigned.</param>
    /// <param name="peakOpen">The most leads held open at once.</param>
    /// <param name="capacityHits">How often the rep was passed over for being at a cap (open or daily).</param>
    internal RepSimulationLoad(RepId rep, int assigned, int peakOpen, int capacityHits)
    {
        Rep = rep;
        Assigned = assigned;
        PeakOpen = peakOpen;
        CapacityHits = capacityHits;
    }

    /// <summary>The rep.</summary>
    public RepId Rep { get; }

    /// <summary>Leads assigned.</summary>
    public int Assigned { get; }

    /// <summary>The most leads held open at once.</summary>
    public int PeakOpen { get; }

    /// <summary>How often the rep was passed over for being at a cap (open or daily).</summary>
    public int CapacityHits { get; }
}
