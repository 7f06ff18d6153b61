namespace Alignment.AspNetCore.Wire;

/// <summary>Speed to lead and the first-touch SLA.</summary>
/// <param name="MqlLeads">Leads handed to sales.</param>
/// <param name="Touched">Of those, touched by a rep.</param>
/// <param name="MedianHours">Median hours to the first touch.</param>
/// <param name="P95Hours">95th percentile hours to the first touch.</param>
/// <param name="SlaMeasured">Handoffs with an SLA.</param>
/// <param name="SlaMet">Of those, touched in time.</param>
/// <param name="SlaComplianceRate">The share met (0 to 1), if any was measured.</param>
/// <param name="Escalations">Handoffs escalated.</param>
public sealed record SpeedToLeadResponse(int MqlLeads, int Touched, double? MedianHours, double? P95Hours, int SlaMeasured, int SlaMet, double? SlaComplianceRate, int Escalations);
