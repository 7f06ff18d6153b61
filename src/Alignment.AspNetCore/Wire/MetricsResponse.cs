namespace Alignment.AspNetCore.Wire;

/// <summary>The numbers that keep both teams honest, for one tenant.</summary>
/// <param name="AsOf">The instant they were computed at.</param>
/// <param name="Period">The period the waterfall by period is cut into (<c>Month</c> or <c>Quarter</c>).</param>
/// <param name="Leads">The leads counted.</param>
/// <param name="Waterfall">How many leads reached each stage.</param>
/// <param name="Conversions">The conversion from each stage to the next.</param>
/// <param name="SpeedToLead">Speed to lead and SLA compliance.</param>
public sealed record MetricsResponse(DateTimeOffset AsOf, string Period, int Leads, IReadOnlyList<StageCountResponse> Waterfall, IReadOnlyList<ConversionResponse> Conversions, SpeedToLeadResponse SpeedToLead);
