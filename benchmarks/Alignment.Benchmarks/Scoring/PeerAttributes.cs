using Alignment.Leads;

namespace Alignment.Benchmarks.Scoring;

/// <summary>The names and the shared <see cref="AttributeSchema"/> of the 12 behaviour attributes the peer workload gives each lead.</summary>
public static class PeerAttributes
{
    /// <summary>E-mails opened in the last 30 days (number).</summary>
    public const string EmailOpens30d = "emailOpens30d";

    /// <summary>Web visits in the last 30 days (number).</summary>
    public const string WebVisits30d = "webVisits30d";

    /// <summary>Content downloads (number).</summary>
    public const string ContentDownloads = "contentDownloads";

    /// <summary>Days since the last activity (number).</summary>
    public const string DaysSinceLastActivity = "daysSinceLastActivity";

    /// <summary>Form submissions (number).</summary>
    public const string FormSubmissions = "formSubmissions";

    /// <summary>Sessions with a video view (number).</summary>
    public const string SessionsWithVideo = "sessionsWithVideo";

    /// <summary>E-mail clicks in the last 30 days (number).</summary>
    public const string EmailClicks30d = "emailClicks30d";

    /// <summary>Pricing page views (number).</summary>
    public const string PricingPageViews = "pricingPageViews";

    /// <summary>Registered for a webinar (flag).</summary>
    public const string WebinarRegistered = "webinarRegistered";

    /// <summary>Attended a webinar (flag).</summary>
    public const string WebinarAttended = "webinarAttended";

    /// <summary>Requested a demo (flag).</summary>
    public const string DemoRequested = "demoRequested";

    /// <summary>Unsubscribed from e-mail (flag).</summary>
    public const string UnsubscribedEmail = "unsubscribedEmail";

    /// <summary>The schema every lead of the workload shares (immutable): the eight numbers, then the four flags.</summary>
    public static AttributeSchema Schema { get; } = new(
    [
        new(EmailOpens30d, AttributeKind.Number),
        new(WebVisits30d, AttributeKind.Number),
        new(ContentDownloads, AttributeKind.Number),
        new(DaysSinceLastActivity, AttributeKind.Number),
        new(FormSubmissions, AttributeKind.Number),
        new(SessionsWithVideo, AttributeKind.Number),
        new(EmailClicks30d, AttributeKind.Number),
        new(PricingPageViews, AttributeKind.Number),
        new(WebinarRegistered, AttributeKind.Boolean),
        new(WebinarAttended, AttributeKind.Boolean),
        new(DemoRequested, AttributeKind.Boolean),
        new(UnsubscribedEmail, AttributeKind.Boolean),
    ]);

    /// <summary>Finds an attribute's ordinal in a schema.</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="name">The attribute's name.</param>
    /// <returns>The ordinal.</returns>
    /// <exception cref="ArgumentException">The schema has no such attribute.</exception>
    public static int Ordinal(AttributeSchema schema, string name)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.TryGetOrdinal(name, out int ordinal)
            ? ordinal
            : throw new ArgumentException($"The attribute schema has no attribute '{name}'.", nameof(schema));
    }
}
