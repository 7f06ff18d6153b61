using System.Text.Json.Serialization;
namespace Alignment.Policies.Metrics;

/// <summary>Won revenue credited to one source and campaign under one attribution model.</summary>
public sealed class AttributionRow
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="source">The marketing source.</param>
    /// <param name="campaign">The campaign (<c>(none)</c> when unknown).</param>
    /// <param name="revenue">The revenue credited.</param>
    /// <param name="deals">The deals credited (fractional under linear attribution), rounded to four places.</param>
    [JsonConstructor]
    internal AttributionRow(string source, string campaign, decimal revenue, double deals)
    {
        Source = source;
        Campaign = campaign;
        Revenue = revenue;
        Deals = deals;
    }

    /// <summary>The marketing source.</summary>
    public string Source { get; }

    /// <summary>The campaign (<c>(none)</c> when unknown).</summary>
    public string Campaign { get; }

    /// <summary>The revenue credited.</summary>
    public decimal Revenue { get; }

    /// <summary>The deals credited (fractional under linear attribution), rounded to four places.</summary>
    public double Deals { get; }
}
