namespace Alignment.Policies.Nurture.Campaigns;

/// <summary>
/// Registration and attendance of the invitees a rep called before the event (to learn their interests) against those not called:
/// whether the calls move invitees to come.
/// </summary>
/// <param name="Called">Invitees a rep called before the event.</param>
/// <param name="CalledRegistered">Of those, invitees that registered.</param>
/// <param name="CalledAttended">Of those, invitees that attended.</param>
/// <param name="NotCalled">Invitees not called.</param>
/// <param name="NotCalledRegistered">Of those, invitees that registered.</param>
/// <param name="NotCalledAttended">Of those, invitees that attended.</param>
public sealed record PreEventCallFunnel(int Called, int CalledRegistered, int CalledAttended, int NotCalled, int NotCalledRegistered, int NotCalledAttended)
{
    /// <summary>The share of called invitees that registered (0 without any), rounded to four places.</summary>
    public double CalledRegistrationRate => Called == 0 ? 0 : Math.Round((double)CalledRegistered / Called, 4);

    /// <summary>The share of not-called invitees that registered (0 without any), rounded to four places.</summary>
    public double NotCalledRegistrationRate => NotCalled == 0 ? 0 : Math.Round((double)NotCalledRegistered / NotCalled, 4);
}
