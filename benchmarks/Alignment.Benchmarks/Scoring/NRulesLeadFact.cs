namespace Alignment.Benchmarks.Scoring;

/// <summary>The fact the NRules peer inserts for each lead: the lead and its score accumulator, which fired rules add their points to.</summary>
/// <param name="lead">The lead.</param>
public sealed class NRulesLeadFact(PeerLead lead)
{
    /// <summary>The lead.</summary>
    public PeerLead Lead { get; } = lead;

    /// <summary>The points added so far by the rules that fired.</summary>
    public int Score { get; private set; }

    /// <summary>Adds a fired rule's points (called from the rules' right-hand sides).</summary>
    /// <param name="points">The points.</param>
    public void AddPoints(int points) => Score += points;
}
