using System.Text.Json.Serialization;
namespace Alignment.Policies.Metrics;

/// <summary>Leads returned to marketing for one reason, and what became of them.</summary>
public sealed class RecyclingRow
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="reason">The reason (the entry reason for nurture recycles, otherwise the transition's reason).</param>
    /// <param name="recycled">Recycles for that reason.</param>
    /// <param name="cameBackAsMql">Of those, leads that became MQL again afterwards.</param>
    /// <param name="won">Of those, leads won afterwards.</param>
    [JsonConstructor]
    internal RecyclingRow(string reason, int recycled, int cameBackAsMql, int won)
    {
        Reason = reason;
        Recycled = recycled;
        CameBackAsMql = cameBackAsMql;
        Won = won;
    }

    /// <summary>The reason (the entry reason for nurture recycles, otherwise the transition's reason).</summary>
    public string Reason { get; }

    /// <summary>Recycles for that reason.</summary>
    public int Recycled { get; }

    /// <summary>Of those, leads that became MQL again afterwards.</summary>
    public int CameBackAsMql { get; }

    /// <summary>Of those, leads won afterwards.</summary>
    public int Won { get; }
}
