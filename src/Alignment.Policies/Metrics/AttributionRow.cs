namespace Alignment.Policies.Metrics;

/// <summary>Won revenue credited to one source and campaign under one attribution model.</summary>
/// <param name="Source">The marketing source.</param>
/// <param name="Campaign">The campaign (<c>(none)</c> when unknown).</param>
/// <param name="Revenue">The revenue credited.</param>
/// <param name="Deals">The deals credited (fractional under linear attribution), rounded to four places.</param>
public sealed record AttributionRow(string Source, string Campaign, decimal Revenue, double Deals);
