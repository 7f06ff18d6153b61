namespace Alignment.Activities;

/// <summary>What a lead did, or what was done to it. Values are stable: they are persisted and referenced by models.</summary>
public enum ActivityType
{
    /// <summary>A marketing e-mail was sent to the lead.</summary>
    EmailSent = 0,

    /// <summary>The lead opened an e-mail.</summary>
    EmailOpened = 1,

    /// <summary>The lead clicked a link in an e-mail.</summary>
    EmailClicked = 2,

    /// <summary>The lead visited the website (a session).</summary>
    WebVisit = 3,

    /// <summary>The lead viewed one page; <see cref="LeadActivity.Url"/> says which.</summary>
    PageView = 4,

    /// <summary>The lead submitted a form.</summary>
    FormSubmitted = 5,

    /// <summary>The lead downloaded content (white paper, e-book, report).</summary>
    ContentDownloaded = 6,

    /// <summary>The lead was invited to a webinar.</summary>
    WebinarInvited = 7,

    /// <summary>The lead registered for a webinar.</summary>
    WebinarRegistered = 8,

    /// <summary>The lead attended a webinar.</summary>
    WebinarAttended = 9,

    /// <summary>The lead was met at an event or trade show.</summary>
    EventContact = 10,

    /// <summary>The lead requested a demo.</summary>
    DemoRequested = 11,

    /// <summary>The lead unsubscribed from marketing e-mail.</summary>
    Unsubscribed = 12,

    /// <summary>An e-mail to the lead bounced.</summary>
    Bounced = 13,

    /// <summary>A salesperson called the lead.</summary>
    SalesCall = 14,

    /// <summary>A salesperson met the lead.</summary>
    SalesMeeting = 15,
}
