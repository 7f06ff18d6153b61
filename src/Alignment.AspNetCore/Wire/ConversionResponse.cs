namespace Alignment.AspNetCore.Wire;

/// <summary>The conversion between two stages.</summary>
/// <param name="From">The earlier stage.</param>
/// <param name="To">The later stage.</param>
/// <param name="FromLeads">Leads that reached the earlier stage.</param>
/// <param name="ToLeads">Of those, leads that reached the later one.</param>
/// <param name="Rate">The rate (0 to 1).</param>
public sealed record ConversionResponse(string From, string To, int FromLeads, int ToLeads, double Rate);
