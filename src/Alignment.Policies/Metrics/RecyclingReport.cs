using System.Collections.Immutable;

namespace Alignment.Policies.Metrics;

/// <summary>Recycling: leads returned by sales (or lost) per reason, and how many came back as MQL and converted.</summary>
/// <param name="recycled">All recycles.</param>
/// <param name="cameBackAsMql">Recycles followed by a new MQL.</param>
/// <param name="won">Recycles followed by a won deal.</param>
/// <param name="byReason">Per reason, most frequent first.</param>
public sealed class RecyclingReport(int recycled, int cameBackAsMql, int won, ImmutableArray<RecyclingRow> byReason)
{
    /// <summary>All recycles.</summary>
    public int Recycled { get; } = recycled;

    /// <summary>Recycles followed by a new MQL.</summary>
    public int CameBackAsMql { get; } = cameBackAsMql;

    /// <summary>Recycles followed by a won deal.</summary>
    public int Won { get; } = won;

    /// <summary>Per reason, most frequent first.</summary>
    public ImmutableArray<RecyclingRow> ByReason { get; } = byReason;
}
