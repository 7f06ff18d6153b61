using System.Text.Json.Serialization;

namespace Alignment.Policies.Handoff;

/// <summary>How a routing rule chooses one rep among the eligible members of its pool.</summary>
internal enum RoutingStrategy
{
    /// <summary>Rotation in rep-id order that skips unavailable or full reps without resetting for the others; a rep back from leave rejoins the rotation where it stands and is not flooded.</summary>
    [JsonStringEnumMemberName("roundRobin")]
    RoundRobin = 0,

    /// <summary>Smooth weighted rotation (for example 70/30) by each rep's <c>weight</c>; reps who are away do not accumulate credit.</summary>
    [JsonStringEnumMemberName("weighted")]
    Weighted = 1,

    /// <summary>The eligible rep with the fewest open leads; ties are broken by rotation.</summary>
    [JsonStringEnumMemberName("loadBalanced")]
    LoadBalanced = 2,

    /// <summary>The owner of the lead's account (matched by account id, then by company or e-mail domain); the rule does not apply to a lead without an owner.</summary>
    [JsonStringEnumMemberName("accountOwner")]
    AccountOwner = 3,
}
