using Alignment.Leads;

namespace Alignment.Models.Challengers;

/// <summary>A lead scored by the champion and the challenger at one instant: the pair a ledger keeps (the latest one per lead).</summary>
/// <param name="Lead">The lead.</param>
/// <param name="Champion">The champion's score.</param>
/// <param name="Challenger">The challenger's score.</param>
/// <param name="ScoredAt">The scoring instant.</param>
public readonly record struct ChallengerObservation(LeadId Lead, ChallengerScore Champion, ChallengerScore Challenger, DateTimeOffset ScoredAt);
