using System.Collections.Immutable;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Models.Registry;

namespace Alignment.Policies.Handoff;

/// <summary>
/// What a tenant's routing challenger (<see cref="ActiveHandoffRouters.AttachChallenger"/>) would have decided on the live leads the
/// champion routed since it was attached: the challenger decides each lead in simulation only, against its own simulated rep loads,
/// and nothing it decides reaches a rep, a store or a decision sink.
/// </summary>
/// <param name="Challenger">The challenger release.</param>
/// <param name="ChallengerPolicy">The challenger's policy (id, version, content hash).</param>
/// <param name="Leads">The leads routed beside it (each lead once: routing a lead again is not counted again).</param>
/// <param name="Same">Leads both assigned to the same rep, or both queued in the same queue.</param>
/// <param name="OtherRep">Leads both assigned, to different reps.</param>
/// <param name="OnlyChampionAssigned">Leads the champion assigned to a rep and the challenger would have queued.</param>
/// <param name="OnlyChallengerAssigned">Leads the champion queued and the challenger would have assigned to a rep.</param>
/// <param name="OtherQueue">Leads both queued, in different queues.</param>
/// <param name="ChampionByRep">Leads the champion assigned, per rep id.</param>
/// <param name="ChallengerByRep">Leads the challenger would have assigned, per rep id.</param>
/// <param name="Examples">The first leads on which the two differ, up to the number asked for.</param>
public sealed record RoutingChallengerComparison(
    ReleaseKey Challenger,
    ModelReference ChallengerPolicy,
    int Leads,
    int Same,
    int OtherRep,
    int OnlyChampionAssigned,
    int OnlyChallengerAssigned,
    int OtherQueue,
    ImmutableSortedDictionary<string, int> ChampionByRep,
    ImmutableSortedDictionary<string, int> ChallengerByRep,
    ImmutableArray<RoutingChallengerExample> Examples)
{
    /// <summary>The leads on which the two differ.</summary>
    public int Different => Leads - Same;
}

/// <summary>One lead the champion and the routing challenger would have handed to different owners.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="Champion">What the champion decided: <c>rep:ID</c> or <c>queue:NAME</c>.</param>
/// <param name="Challenger">What the challenger would have decided, in the same form.</param>
/// <param name="ChallengerExplanation">The challenger's explanation of its decision.</param>
public sealed record RoutingChallengerExample(LeadId LeadId, string Champion, string Challenger, string ChallengerExplanation);
