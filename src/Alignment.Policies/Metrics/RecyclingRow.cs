namespace Alignment.Policies.Metrics;

/// <summary>Leads returned to marketing for one reason, and what became of them.</summary>
/// <param name="Reason">The reason (the entry reason for nurture recycles, otherwise the transition's reason).</param>
/// <param name="Recycled">Recycles for that reason.</param>
/// <param name="CameBackAsMql">Of those, leads that became MQL again afterwards.</param>
/// <param name="Won">Of those, leads won afterwards.</param>
public sealed record RecyclingRow(string Reason, int Recycled, int CameBackAsMql, int Won);
