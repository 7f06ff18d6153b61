namespace Alignment.Benchmarks.Scoring;

/// <summary>
/// One lead of the scoring peer workload as a flat object, the shape Microsoft RulesEngine and NRules score.
/// Its id plus the 23 attributes of the workload's attribute table (24 properties).
/// </summary>
/// <remarks>Immutable. Created by <see cref="PeerWorkload.CreatePeerLeads"/>.</remarks>
public sealed class PeerLead
{
    /// <summary>The lead's position in the workload (0-based); its lead id is <c>lead{Index}</c>.</summary>
    public required int Index { get; init; }

    /// <summary>One of 12 industries.</summary>
    public required string Industry { get; init; }

    /// <summary>Log-uniform 1..100,000.</summary>
    public required int EmployeeCount { get; init; }

    /// <summary><see cref="EmployeeCount"/> times 50,000..400,000, rounded.</summary>
    public required long AnnualRevenue { get; init; }

    /// <summary>One of 20 countries (including <c>Other</c>).</summary>
    public required string Country { get; init; }

    /// <summary>The job title of one of 32 (title, seniority, department) triples.</summary>
    public required string JobTitle { get; init; }

    /// <summary>The triple's seniority, or <c>Manager</c> for 10 % of leads.</summary>
    public required string Seniority { get; init; }

    /// <summary>The triple's department.</summary>
    public required string Department { get; init; }

    /// <summary><c>Company N</c>, N below 20,000.</summary>
    public required string Company { get; init; }

    /// <summary><c>exampleN.com</c>, N below 5,000.</summary>
    public required string EmailDomain { get; init; }

    /// <summary><c>CMP-N</c>, N below 200.</summary>
    public required string Campaign { get; init; }

    /// <summary>One of 10 lead sources.</summary>
    public required string LeadSource { get; init; }

    /// <summary>E-mails opened in the last 30 days (skewed, 0..30).</summary>
    public required int EmailOpens30d { get; init; }

    /// <summary>Web visits in the last 30 days (skewed, 0..40).</summary>
    public required int WebVisits30d { get; init; }

    /// <summary>Content downloads (skewed, 0..8).</summary>
    public required int ContentDownloads { get; init; }

    /// <summary>Days since the last activity (skewed, 0..365).</summary>
    public required int DaysSinceLastActivity { get; init; }

    /// <summary>Form submissions (skewed, 0..5).</summary>
    public required int FormSubmissions { get; init; }

    /// <summary>Sessions with a video view (skewed, 0..6).</summary>
    public required int SessionsWithVideo { get; init; }

    /// <summary>E-mail clicks in the last 30 days: at most <see cref="EmailOpens30d"/> (skewed, 0..10).</summary>
    public required int EmailClicks30d { get; init; }

    /// <summary>Pricing page views: 0 for 70 % of leads, else 1..5.</summary>
    public required int PricingPageViews { get; init; }

    /// <summary>Registered for a webinar (20 %).</summary>
    public required bool WebinarRegistered { get; init; }

    /// <summary>Attended the webinar (60 % of the registered).</summary>
    public required bool WebinarAttended { get; init; }

    /// <summary>Requested a demo (5 %).</summary>
    public required bool DemoRequested { get; init; }

    /// <summary>Unsubscribed from e-mail (3 %).</summary>
    public required bool UnsubscribedEmail { get; init; }

    /// <summary>Reads a text field.</summary>
    /// <param name="field">A text field.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="field"/> is not a text field.</exception>
    public string GetText(PeerField field) => field switch
    {
        PeerField.Industry => Industry,
        PeerField.Country => Country,
        PeerField.JobTitle => JobTitle,
        PeerField.Seniority => Seniority,
        PeerField.Department => Department,
        PeerField.Company => Company,
        PeerField.EmailDomain => EmailDomain,
        PeerField.Campaign => Campaign,
        PeerField.LeadSource => LeadSource,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a text field."),
    };

    /// <summary>Reads a number field.</summary>
    /// <param name="field">A number field.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="field"/> is not a number field.</exception>
    public double GetNumber(PeerField field) => field switch
    {
        PeerField.EmployeeCount => EmployeeCount,
        PeerField.AnnualRevenue => AnnualRevenue,
        PeerField.EmailOpens30d => EmailOpens30d,
        PeerField.WebVisits30d => WebVisits30d,
        PeerField.ContentDownloads => ContentDownloads,
        PeerField.DaysSinceLastActivity => DaysSinceLastActivity,
        PeerField.FormSubmissions => FormSubmissions,
        PeerField.SessionsWithVideo => SessionsWithVideo,
        PeerField.EmailClicks30d => EmailClicks30d,
        PeerField.PricingPageViews => PricingPageViews,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a number field."),
    };

    /// <summary>Reads a flag field.</summary>
    /// <param name="field">A flag field.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="field"/> is not a flag field.</exception>
    public bool GetFlag(PeerField field) => field switch
    {
        PeerField.WebinarRegistered => WebinarRegistered,
        PeerField.WebinarAttended => WebinarAttended,
        PeerField.DemoRequested => DemoRequested,
        PeerField.UnsubscribedEmail => UnsubscribedEmail,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a flag field."),
    };
}
