using System.Collections.Immutable;

namespace Alignment.Policies.Metrics;

/// <summary>Recycling: leads returned by sales (or lost) per reason, and how many came back as MQL and converted.</summary>
/// <param name="Recycled">All recycles.</param>
/// <param name="CameBackAsMql">Recycles followed by a new MQL.</param>
/// <param name="Won">Recycles followed by a won deal.</param>
/// <param name="ByReason">Per reason, most frequent first.</param>
public sealed record RecyclingReport(int Recycled, int CameBackAsMql, int Won, ImmutableArray<RecyclingRow> ByReason);
