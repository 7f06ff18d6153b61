namespace Alignment.AspNetCore.Wire;

/// <summary>The answer to a campaign step.</summary>
/// <param name="Campaign">The campaign.</param>
/// <param name="LeadId">The lead, for a member step.</param>
/// <param name="Step">The step: <c>invited</c>, <c>registered</c>, <c>attended</c>, <c>closed</c>.</param>
/// <param name="Changed">Whether the step changed anything (an invite of a lead already invited does not).</param>
/// <param name="NoShowsEnrolled">On close: the no-shows put on a nurture track.</param>
/// <param name="AttendeeTasks">On close: the follow-up tasks created for attendees.</param>
public sealed record CampaignResponse(string Campaign, string? LeadId, string Step, bool Changed, int? NoShowsEnrolled, int? AttendeeTasks);
