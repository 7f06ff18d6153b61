using System.Collections.Immutable;

namespace Alignment.Scoring.Governance;

/// <summary>How many leads fall into one kind of change (for example "newly MQL"), with the first few as examples.</summary>
/// <param name="Count">How many leads.</param>
/// <param name="Examples">The first leads of the kind, in input order, up to the preview's example limit.</param>
public sealed record ImpactGroup(int Count, ImmutableArray<ImpactExample> Examples)
{
    /// <summary>Compares two groups by count and examples.</summary>
    /// <param name="other">The other group.</param>
    /// <returns><see langword="true"/> when both have the same content.</returns>
    public bool Equals(ImpactGroup? other) => other is not null && Count == other.Count && Examples.SequenceEqual(other.Examples);

    /// <summary>Hashes the count.</summary>
    /// <returns>A hash code consistent with <see cref="Equals(ImpactGroup?)"/>.</returns>
    public override int GetHashCode() => Count;
}
