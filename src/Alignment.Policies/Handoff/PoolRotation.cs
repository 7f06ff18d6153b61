using System.Collections.Immutable;

namespace Alignment.Policies.Handoff;

/// <summary>A rule pool's rotation state, keyed by rep id so that it survives reps joining and leaving.</summary>
public sealed class PoolRotation
{
    /// <summary>Creates the rotation state.</summary>
    /// <param name="lastRepId">The rep the rotation chose last, or <see langword="null"/> for a new pool.</param>
    /// <param name="memberIds">The rep ids <paramref name="weights"/> belong to.</param>
    /// <param name="weights">The smooth weighted round-robin credit of each member; empty for a pool whose strategy keeps no credit (every strategy but weighted).</param>
    public PoolRotation(string? lastRepId, ImmutableArray<string> memberIds, ImmutableArray<long> weights)
    {
        LastRepId = lastRepId;
        MemberIds = memberIds.IsDefault ? [] : memberIds;
        Weights = weights.IsDefault ? [] : weights;
    }

    /// <summary>The rep the rotation chose last, or <see langword="null"/> for a new pool.</summary>
    public string? LastRepId { get; }

    /// <summary>The rep ids <see cref="Weights"/> belong to.</summary>
    public ImmutableArray<string> MemberIds { get; }

    /// <summary>The smooth weighted round-robin credit of each member; empty for a pool whose strategy keeps no credit.</summary>
    public ImmutableArray<long> Weights { get; }
}
