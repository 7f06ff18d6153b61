using Alignment.Handoff;

namespace Alignment.Policies.Handoff;

/// <summary>One rep's load over a simulation.</summary>
/// <param name="Rep">The rep.</param>
/// <param name="Assigned">Leads assigned.</param>
/// <param name="PeakOpen">The most leads held open at once.</param>
/// <param name="CapacityHits">How often the rep was passed over for being at a cap (open or daily).</param>
public sealed record RepSimulationLoad(RepId Rep, int Assigned, int PeakOpen, int CapacityHits);
