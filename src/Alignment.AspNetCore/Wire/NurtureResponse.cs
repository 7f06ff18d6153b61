namespace Alignment.AspNetCore.Wire;

/// <summary>A lead's nurture enrolment.</summary>
/// <param name="Track">The track.</param>
/// <param name="Reason">Why it is on it.</param>
/// <param name="Status">The enrolment's status.</param>
/// <param name="EnrolledAt">When it was enrolled.</param>
/// <param name="NextDueAt">When its next step is due, if any.</param>
public sealed record NurtureResponse(string Track, string Reason, string Status, DateTimeOffset EnrolledAt, DateTimeOffset? NextDueAt);
