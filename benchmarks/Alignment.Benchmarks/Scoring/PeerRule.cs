namespace Alignment.Benchmarks.Scoring;

/// <summary>One point rule of the peer workload: when <paramref name="When"/> holds, the lead earns <paramref name="Points"/>.</summary>
/// <param name="Name">The rule's name (the RulesEngine <c>RuleName</c> and the Alignment rule id).</param>
/// <param name="Points">The points, negative for a penalty.</param>
/// <param name="When">The condition.</param>
public sealed record PeerRule(string Name, int Points, PeerCondition When);
