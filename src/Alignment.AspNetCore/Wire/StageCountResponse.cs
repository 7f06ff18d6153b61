namespace Alignment.AspNetCore.Wire;

/// <summary>How many leads reached a stage.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Leads">The leads.</param>
public sealed record StageCountResponse(string Stage, int Leads);
