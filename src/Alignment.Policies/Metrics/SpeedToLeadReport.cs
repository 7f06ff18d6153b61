using System.Text.Json.Serialization;
namespace Alignment.Policies.Metrics;

/// <summary>Speed to lead: from MQL to the first sales touch, and the service level.</summary>
public sealed class SpeedToLeadReport
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="mqlLeads">Leads that became MQL.</param>
    /// <param name="touched">MQLs a rep touched.</param>
    /// <param name="medianHours">Median hours from MQL to first touch; <see langword="null"/> when none was touched.</param>
    /// <param name="p95Hours">95th percentile (nearest rank) of the same; <see langword="null"/> when none was touched.</param>
    /// <param name="slaMeasured">MQLs whose service level has run out or was met (pending ones are left out).</param>
    /// <param name="slaMet">Of those, touched by the due time.</param>
    /// <param name="slaComplianceRate"><paramref name="slaMet"/> / <paramref name="slaMeasured"/>; <see langword="null"/> when nothing was measured.</param>
    /// <param name="escalations">Handoffs escalated.</param>
    [JsonConstructor]
    internal SpeedToLeadReport(int mqlLeads, int touched, double? medianHours, double? p95Hours, int slaMeasured, int slaMet, double? slaComplianceRate, int escalations)
    {
        MqlLeads = mqlLeads;
        Touched = touched;
        MedianHours = medianHours;
        P95Hours = p95Hours;
        SlaMeasured = slaMeasured;
        SlaMet = slaMet;
        SlaComplianceRate = slaComplianceRate;
        Escalations = escalations;
    }

    /// <summary>Leads that became MQL.</summary>
    public int MqlLeads { get; }

    /// <summary>MQLs a rep touched.</summary>
    public int Touched { get; }

    /// <summary>Median hours from MQL to first touch; <see langword="null"/> when none was touched.</summary>
    public double? MedianHours { get; }

    /// <summary>95th percentile (nearest rank) of the same; <see langword="null"/> when none was touched.</summary>
    public double? P95Hours { get; }

    /// <summary>MQLs whose service level has run out or was met (pending ones are left out).</summary>
    public int SlaMeasured { get; }

    /// <summary>Of those, touched by the due time.</summary>
    public int SlaMet { get; }

    /// <summary><see cref="SlaMet"/> / <see cref="SlaMeasured"/>; <see langword="null"/> when nothing was measured.</summary>
    public double? SlaComplianceRate { get; }

    /// <summary>Handoffs escalated.</summary>
    public int Escalations { get; }
}
