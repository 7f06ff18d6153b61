namespace Alignment.Policies.Metrics;

/// <summary>Won revenue credited to one source and campaign under one attribution model.</summary>
/// <param name="source">The marketing source.</param>
/// <param name="campaign">The campaign (<c>(none)</c> when unknown).</param>
/// <param name="revenue">The revenue credited.</param>
/// <param name="deals">The deals credited (fractional under linear attribution), rounded to four places.</param>
public sealed class AttributionRow(string source, string campaign, decimal revenue, double deals)
{
    /// <summary>The marketing source.</summary>
    public string Source { get; } = source;

    /// <summary>The campaign (<c>(none)</c> when unknown).</summary>
    public string Campaign { get; } = campaign;

    /// <summary>The revenue credited.</summary>
    public decimal Revenue { get; } = revenue;

    /// <summary>The deals credited (fractional under linear attribution), rounded to four places.</summary>
    public double Deals { get; } = deals;
}
