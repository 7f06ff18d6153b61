using System.Text.Json.Serialization;
using System.Collections.Immutable;

namespace Alignment.Policies.Metrics;

/// <summary>Recycling: leads returned by sales (or lost) per reason, and how many came back as MQL and converted.</summary>
public sealed class RecyclingReport
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="recycled">All recycles.</param>
    /// <param name="cameBackAsMql">Recycles followed by a new MQL.</param>
    /// <param name="won">Recycles followed by a won deal.</param>
    /// <param name="byReason">Per reason, most frequent first.</param>
    [JsonConstructor]
    internal RecyclingReport(int recycled, int cameBackAsMql, int won, ImmutableArray<RecyclingRow> byReason)
    {
        Recycled = recycled;
        CameBackAsMql = cameBackAsMql;
        Won = won;
        ByReason = byReason;
    }

    /// <summary>All recycles.</summary>
    public int Recycled { get; }

    /// <summary>Recycles followed by a new MQL.</summary>
    public int CameBackAsMql { get; }

    /// <summary>Recycles followed by a won deal.</summary>
    public int Won { get; }

    /// <summary>Per reason, most frequent first.</summary>
    public ImmutableArray<RecyclingRow> ByReason { get; }
}
