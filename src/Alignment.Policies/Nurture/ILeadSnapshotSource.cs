using Alignment.Leads;

namespace Alignment.Policies.Nurture;

/// <summary>Reads a lead and its activities from the CRM when a nurture step falls due (Alignment never owns the CRM's records).</summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface ILeadSnapshotSource
{
    /// <summary>Reads a lead.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The snapshot, or <see langword="null"/> when the CRM no longer has the lead (the step is then paused for a day, never dropped).</returns>
    ValueTask<LeadSnapshot?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default);
}
