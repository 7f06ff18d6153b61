namespace Alignment.Policies.Handoff.Definitions;

/// <summary>
/// A routing release as one JSON document: the version, the routing policy and the roster it routes to
/// (<c>{ "version": "2026.3", "policy": { … }, "roster": { … } }</c>). Its content hash is the hash of its canonical JSON.
/// </summary>
internal sealed record RoutingReleaseDefinition
{
    /// <summary>The release's version (the policy itself has only an id). Required in a release document.</summary>
    public string? Version { get; init; }

    /// <summary>The routing policy. Required.</summary>
    public RoutingPolicyDefinition? Policy { get; init; }

    /// <summary>The roster. Required.</summary>
    public RosterDefinition? Roster { get; init; }
}
