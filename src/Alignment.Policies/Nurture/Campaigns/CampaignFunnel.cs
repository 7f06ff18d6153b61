namespace Alignment.Policies.Nurture.Campaigns;

/// <summary>The funnel of one webinar or event campaign, for example 600 invited, 100 registered, 60 attended, 40 no-shows followed up, 2 won.</summary>
/// <param name="Campaign">The campaign.</param>
/// <param name="Invited">Leads invited.</param>
/// <param name="Registered">Leads that registered.</param>
/// <param name="Attended">Registered leads that attended.</param>
/// <param name="NoShows">Registered leads that did not attend.</param>
/// <param name="NoShowsFollowedUp">No-shows whose follow-up (the first step of their no-show track, typically the recording) was carried out.</param>
/// <param name="AttendeesFollowedUpWithinSla">Attendees a rep followed up within the service level.</param>
/// <param name="AttendeesFollowedUpLate">Attendees a rep followed up after the service level.</param>
/// <param name="AttendeesAwaitingFollowUp">Attendees not followed up yet.</param>
/// <param name="Won">Campaign members whose deal was won.</param>
public sealed record CampaignFunnel(
    string Campaign,
    int Invited,
    int Registered,
    int Attended,
    int NoShows,
    int NoShowsFollowedUp,
    int AttendeesFollowedUpWithinSla,
    int AttendeesFollowedUpLate,
    int AttendeesAwaitingFollowUp,
    int Won)
{
    /// <summary>Writes the funnel as JSON (camelCase: <c>invited</c>, <c>registered</c>, <c>attended</c>, <c>noShows</c>, <c>noShowsFollowedUp</c>, <c>won</c>…).</summary>
    /// <param name="indented">Whether to indent.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = false) =>
        System.Text.Json.JsonSerializer.Serialize(this, indented ? Metrics.IndentedMetricsJsonContext.Default.CampaignFunnel : Metrics.MetricsJsonContext.Default.CampaignFunnel);
}
