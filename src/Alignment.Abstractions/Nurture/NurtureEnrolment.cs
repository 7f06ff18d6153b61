using Alignment.Leads;

namespace Alignment.Nurture;

/// <summary>A lead's place on a nurture track: which track, why, and which step is due when.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="TrackId">The track.</param>
/// <param name="Reason">Why the lead entered it.</param>
/// <param name="EnrolledAt">When it entered.</param>
/// <param name="NextStep">The index of the next step to send.</param>
/// <param name="NextDueAt">When the next step is due; <see langword="null"/> when the track is finished or contact stopped.</param>
public sealed record NurtureEnrolment(LeadId LeadId, string TrackId, NurtureEntryReason Reason, DateTimeOffset EnrolledAt, int NextStep, DateTimeOffset? NextDueAt);
