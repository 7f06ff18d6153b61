using System.Collections.Immutable;

namespace Alignment.Policies.Handoff;

/// <summary>A rule pool's rotation state, keyed by rep id so that it survives reps joining and leaving.</summary>
/// <param name="LastRepId">The rep the rotation chose last, or <see langword="null"/> for a new pool.</param>
/// <param name="MemberIds">The rep ids <paramref name="Weights"/> belong to.</param>
/// <param name="Weights">The smooth weighted round-robin credit of each member; empty for a pool whose strategy keeps no credit (every strategy but weighted).</param>
public sealed record PoolRotation(string? LastRepId, ImmutableArray<string> MemberIds, ImmutableArray<long> Weights);
