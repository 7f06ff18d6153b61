namespace Alignment.Benchmarks.Scoring;

/// <summary>The attributes of a <see cref="PeerLead"/> that the peer rules read; each name equals a <see cref="PeerLead"/> property.</summary>
public enum PeerField
{
    /// <summary><see cref="PeerLead.Industry"/> (text).</summary>
    Industry,

    /// <summary><see cref="PeerLead.EmployeeCount"/> (number).</summary>
    EmployeeCount,

    /// <summary><see cref="PeerLead.AnnualRevenue"/> (number).</summary>
    AnnualRevenue,

    /// <summary><see cref="PeerLead.Country"/> (text).</summary>
    Country,

    /// <summary><see cref="PeerLead.JobTitle"/> (text).</summary>
    JobTitle,

    /// <summary><see cref="PeerLead.Seniority"/> (text).</summary>
    Seniority,

    /// <summary><see cref="PeerLead.Department"/> (text).</summary>
    Department,

    /// <summary><see cref="PeerLead.Company"/> (text).</summary>
    Company,

    /// <summary><see cref="PeerLead.EmailDomain"/> (text).</summary>
    EmailDomain,

    /// <summary><see cref="PeerLead.Campaign"/> (text).</summary>
    Campaign,

    /// <summary><see cref="PeerLead.LeadSource"/> (text).</summary>
    LeadSource,

    /// <summary><see cref="PeerLead.EmailOpens30d"/> (number).</summary>
    EmailOpens30d,

    /// <summary><see cref="PeerLead.WebVisits30d"/> (number).</summary>
    WebVisits30d,

    /// <summary><see cref="PeerLead.ContentDownloads"/> (number).</summary>
    ContentDownloads,

    /// <summary><see cref="PeerLead.DaysSinceLastActivity"/> (number).</summary>
    DaysSinceLastActivity,

    /// <summary><see cref="PeerLead.FormSubmissions"/> (number).</summary>
    FormSubmissions,

    /// <summary><see cref="PeerLead.SessionsWithVideo"/> (number).</summary>
    SessionsWithVideo,

    /// <summary><see cref="PeerLead.EmailClicks30d"/> (number).</summary>
    EmailClicks30d,

    /// <summary><see cref="PeerLead.PricingPageViews"/> (number).</summary>
    PricingPageViews,

    /// <summary><see cref="PeerLead.WebinarRegistered"/> (flag).</summary>
    WebinarRegistered,

    /// <summary><see cref="PeerLead.WebinarAttended"/> (flag).</summary>
    WebinarAttended,

    /// <summary><see cref="PeerLead.DemoRequested"/> (flag).</summary>
    DemoRequested,

    /// <summary><see cref="PeerLead.UnsubscribedEmail"/> (flag).</summary>
    UnsubscribedEmail,
}
