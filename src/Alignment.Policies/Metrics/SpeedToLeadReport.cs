namespace Alignment.Policies.Metrics;

/// <summary>Speed to lead: from MQL to the first sales touch, and the service level.</summary>
/// <param name="MqlLeads">Leads that became MQL.</param>
/// <param name="Touched">MQLs a rep touched.</param>
/// <param name="MedianHours">Median hours from MQL to first touch; <see langword="null"/> when none was touched.</param>
/// <param name="P95Hours">95th percentile (nearest rank) of the same; <see langword="null"/> when none was touched.</param>
/// <param name="SlaMeasured">MQLs whose service level has run out or was met (pending ones are left out).</param>
/// <param name="SlaMet">Of those, touched by the due time.</param>
/// <param name="SlaComplianceRate"><paramref name="SlaMet"/> / <paramref name="SlaMeasured"/>; <see langword="null"/> when nothing was measured.</param>
/// <param name="Escalations">Handoffs escalated.</param>
public sealed record SpeedToLeadReport(int MqlLeads, int Touched, double? MedianHours, double? P95Hours, int SlaMeasured, int SlaMet, double? SlaComplianceRate, int Escalations);
