namespace Alignment.Policies.Nurture.Campaigns;

/// <summary>The funnel of one webinar or event campaign, for example 600 invited, 100 registered, 60 attended, 40 no-shows followed up, 2 won.</summary>
public sealed class CampaignFunnel
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="campaign">The campaign.</param>
    /// <param name="invited">Leads invited.</param>
    /// <param name="registered">Leads that registered.</param>
    /// <param name="attended">Registered leads that attended.</param>
    /// <param name="noShows">Registered leads that did not attend.</param>
    /// <param name="noShowsFollowedUp">No-shows whose follow-up (the first step of their no-show track, typically the recording) was carried out.</param>
    /// <param name="attendeesFollowedUpWithinSla">Attendees a rep followed up within the service level.</param>
    /// <param name="attendeesFollowedUpLate">Attendees a rep followed up after the service level.</param>
    /// <param name="attendeesAwaitingFollowUp">Attendees not followed up yet.</param>
    /// <param name="won">Campaign members whose deal was won.</param>
    internal CampaignFunnel(string campaign, int invited, int registered, int attended, int noShows, int noShowsFollowedUp, int attendeesFollowedUpWithinSla, int attendeesFollowedUpLate, int attendeesAwaitingFollowUp, int won)
    {
        Campaign = campaign;
        Invited = invited;
        Registered = registered;
        Attended = attended;
        NoShows = noShows;
        NoShowsFollowedUp = noShowsFollowedUp;
        AttendeesFollowedUpWithinSla = attendeesFollowedUpWithinSla;
        AttendeesFollowedUpLate = attendeesFollowedUpLate;
        AttendeesAwaitingFollowUp = attendeesAwaitingFollowUp;
        Won = won;
    }

    /// <summary>The campaign.</summary>
    public string Campaign { get; }

    /// <summary>Leads invited.</summary>
    public int Invited { get; }

    /// <summary>Leads that registered.</summary>
    public int Registered { get; }

    /// <summary>Registered leads that attended.</summary>
    public int Attended { get; }

    /// <summary>Registered leads that did not attend.</summary>
    public int NoShows { get; }

    /// <summary>No-shows whose follow-up (the first step of their no-show track, typically the recording) was carried out.</summary>
    public int NoShowsFollowedUp { get; }

    /// <summary>Attendees a rep followed up within the service level.</summary>
    public int AttendeesFollowedUpWithinSla { get; }

    /// <summary>Attendees a rep followed up after the service level.</summary>
    public int AttendeesFollowedUpLate { get; }

    /// <summary>Attendees not followed up yet.</summary>
    public int AttendeesAwaitingFollowUp { get; }

    /// <summary>Campaign members whose deal was won.</summary>
    public int Won { get; }

    /// <summary>Registration and attendance of the invitees a rep called before the event against those not called.</summary>
    public PreEventCallFunnel PreEventCalls { get; init; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>Writes the funnel as JSON (camelCase: <c>invited</c>, <c>registered</c>, <c>attended</c>, <c>noShows</c>, <c>noShowsFollowedUp</c>, <c>won</c>…).</summary>
    /// <param name="indented">Whether to indent.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool indented = false) =>
        System.Text.Json.JsonSerializer.Serialize(this, indented ? Metrics.IndentedMetricsJsonContext.Default.CampaignFunnel : Metrics.MetricsJsonContext.Default.CampaignFunnel);
}
