using Alignment.Leads;

namespace Alignment.Nurture;

/// <summary>Keeps every lead that is not sales-ready on a marketing track, with a cadence and exit rules.</summary>
/// <remarks>Implementations are thread-safe and deterministic given their <see cref="TimeProvider"/>.</remarks>
public interface INurturePolicy
{
    /// <summary>Puts a lead on the track that fits its segment and reason; a lead is on at most one track at a time.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="reason">Why it enters nurture.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The enrolment.</returns>
    ValueTask<NurtureEnrolment> EnrolAsync(Lead lead, NurtureEntryReason reason, CancellationToken cancellationToken = default);
}
