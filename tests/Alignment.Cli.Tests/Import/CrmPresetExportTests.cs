namespace Alignment.Cli.Tests.Import;

/// <summary>
/// For every preset: an export written as that tool writes it (its header labels or API names, its date and number formats, its
/// activity and stage names) scores, backtests or routes exactly as the same data in our own format.
/// </summary>
public sealed class CrmPresetExportTests
{
    /// <summary>Fit by industry, size and revenue; engagement by activity type, form submissions decaying (so an instant read hours off changes the score).</summary>
    internal static readonly string[] Model =
    [
        """{ "id": "crm", "version": "1.0.0", "changeNote": "first",""",
        """  "thresholds": { "mql": { "score": 20, "minGrade": "F" }, "hot": { "score": 50, "minGrade": "F" } },""",
        """  "fit": [ { "id": "software", "points": 15, "grade": "+1", "when": { "field": "company.industry", "in": ["Software"] } },""",
        """           { "id": "size", "points": 10, "when": { "field": "company.employeeCount", "gte": 1000 } },""",
        """           { "id": "revenue", "points": 5, "when": { "field": "company.annualRevenue", "gte": 1000000 } } ],""",
        """  "engagement": [ { "id": "form", "activity": "formSubmitted", "points": 20, "decay": { "halfLifeDays": 7 } },""",
        """                  { "id": "sent", "activity": "emailSent", "points": 1 }, { "id": "open", "activity": "emailOpened", "points": 5 },""",
        """                  { "id": "click", "activity": "emailClicked", "points": 3 }, { "id": "page", "activity": "pageView", "points": 2 },""",
        """                  { "id": "visit", "activity": "webVisit", "points": 1 }, { "id": "call", "activity": "salesCall", "points": 10, "decay": { "halfLifeDays": 7 } },""",
        """                  { "id": "meeting", "activity": "salesMeeting", "points": 15 } ] }""",
    ];

    /// <summary>Our own format: the leads every case holds.</summary>
    internal static readonly string[] OwnLeads =
    [
        "id,industry,employeeCount,annualRevenue,createdAt",
        "1001,Software,1250,1250000.00,2026-01-15T09:30:00Z",
        "1002,Retail,40,90000,2026-02-01T00:00:00Z",
    ];

    public static TheoryData<string, string[], string[]?, string[]?, string[]> Cases() => new()
    {
        {
            // A Salesforce lead report exported by a user with the English (United States) locale in New York, and a task export (API names).
            "salesforce",
            [
                "\"Lead ID\",\"First Name\",\"Last Name\",\"Company / Account\",\"Industry\",\"No. of Employees\",\"Annual Revenue\",\"Lead Source\",\"Created Date\"",
                "\"1001\",\"Ada\",\"Lovelace\",\"Acme\",\"Software\",\"1,250\",\"USD 1,250,000.00\",\"Web\",\"1/15/2026 4:30 AM\"",
                "\"1002\",\"Grace\",\"Hopper\",\"Shopco\",\"Retail\",\"40\",\"$90,000.00\",\"Partner Referral\",\"1/31/2026 7:00 PM\"",
            ],
            [
                "WhoId,Subject,TaskSubtype,ActivityDate",
                "1001,Intro,Email,2/10/2026 5:00 AM",
                "1001,Discovery,Call,2/10/2026 8:00 PM", // 01:00 UTC the next day: decay counts whole days, so a wrong zone shows
                "1002,Follow-up,Call,3/4/2026 9:00 AM",
            ],
            [
                "leadId,type,timestamp",
                "1001,emailSent,2026-02-10T10:00:00Z",
                "1001,salesCall,2026-02-11T01:00:00Z",
                "1002,salesCall,2026-03-04T14:00:00Z",
            ],
            ["--culture", "en-US", "--time-zone", "America/New_York"]
        },
        {
            // HubSpot contacts and engagements exports (property labels), dates yyyy-MM-dd HH:mm in the portal's time zone (Berlin).
            "hubspot",
            [
                "Record ID,First Name,Last Name,Email,Company Name,Industry,Number of Employees,Annual Revenue,Create Date,Lifecycle Stage",
                "1001,Ada,Lovelace,ada@acme.example,Acme,Software,1250,1250000,2026-01-15 10:30,Lead",
                "1002,Grace,Hopper,grace@shop.example,Shopco,Retail,40,90000,2026-02-01 01:00,Subscriber",
            ],
            [
                "Associated Contact ID,Activity type,Activity date",
                "1001,Form submission,2026-02-10 00:30", // 23:30 UTC the day before
                "1001,Marketing email open,2026-02-11 09:00",
                "1002,MEETING,2026-02-20 16:00",
            ],
            [
                "leadId,type,timestamp",
                "1001,formSubmitted,2026-02-09T23:30:00Z",
                "1001,emailOpened,2026-02-11T08:00:00Z",
                "1002,salesMeeting,2026-02-20T15:00:00Z",
            ],
            ["--time-zone", "Europe/Berlin"]
        },
        {
            // Dynamics 365 leads and activities, exported by a user with German (Germany) formats.
            "dynamics",
            [
                "(Do Not Modify) Lead,(Do Not Modify) Row Checksum,(Do Not Modify) Modified On,Name,Company Name,Industry,No. of Employees,Annual Revenue,Created On,Status Reason",
                "1001,abc,15.01.2026 10:30,Ada Lovelace,Acme,Software,1.250,\"1.250.000,00 €\",15.01.2026 10:30,New",
                "1002,def,01.02.2026 01:00,Grace Hopper,Shopco,Retail,40,\"90.000,00 €\",01.02.2026 01:00,Contacted",
            ],
            [
                "(Do Not Modify) Activity,Activity Type,Regarding,Actual End",
                "a1,Phone Call,1001,10.02.2026 00:30",
                "a2,Appointment,1002,20.02.2026 16:00",
                "a3,Campaign Response,1002,25.02.2026 12:00",
            ],
            [
                "leadId,type,timestamp",
                "1001,salesCall,2026-02-09T23:30:00Z",
                "1002,salesMeeting,2026-02-20T15:00:00Z",
                "1002,formSubmitted,2026-02-25T11:00:00Z",
            ],
            ["--culture", "de-DE", "--time-zone", "Europe/Berlin"]
        },
        {
            // Marketo bulk extracts (REST names); activityDate carries its offset, activityTypeId the numeric type.
            "marketo",
            [
                "id,firstName,lastName,email,company,industry,numberOfEmployees,annualRevenue,createdAt",
                "1001,Ada,Lovelace,ada@acme.example,Acme,Software,1250,1250000.0,2026-01-15T09:30:00Z",
                "1002,Grace,Hopper,grace@shop.example,Shopco,Retail,40,90000.0,2026-02-01T00:00:00Z",
            ],
            [
                "marketoGUID,leadId,activityDate,activityTypeId,primaryAttributeValueId,primaryAttributeValue",
                "1,1001,2026-02-10T10:00:00Z,2,12,Contact Us Form",
                "2,1001,2026-02-11T08:00:00Z,10,34,Newsletter",
                "3,1002,2026-02-12T08:00:00Z,11,34,Newsletter",
            ],
            [
                "leadId,type,timestamp,url",
                "1001,formSubmitted,2026-02-10T10:00:00Z,Contact Us Form",
                "1001,emailOpened,2026-02-11T08:00:00Z,Newsletter",
                "1002,emailClicked,2026-02-12T08:00:00Z,Newsletter",
            ],
            []
        },
        {
            // Account Engagement (Pardot) prospects and visitor activities (API v3 names), in the account's time zone (UTC).
            "pardot",
            [
                "id,email,first_name,last_name,company,industry,employees,annual_revenue,created_at",
                "1001,ada@acme.example,Ada,Lovelace,Acme,Software,1250,1250000,2026-01-15 09:30:00",
                "1002,grace@shop.example,Grace,Hopper,Shopco,Retail,40,90000,2026-02-01 00:00:00",
            ],
            [
                "prospect_id,type_name,created_at,details",
                "1001,Success,2026-02-10 10:00:00,Contact Us",
                "1001,View,2026-02-11 08:00:00,/pricing",
                "1002,Open,2026-02-12 08:00:00,Newsletter",
            ],
            [
                "leadId,type,timestamp",
                "1001,formSubmitted,2026-02-10T10:00:00Z",
                "1001,pageView,2026-02-11T08:00:00Z",
                "1002,emailOpened,2026-02-12T08:00:00Z",
            ],
            ["--time-zone", "UTC"]
        },
        {
            // Odoo crm.lead export (field labels); Odoo writes datetimes without an offset.
            "odoo",
            [
                "ID,Opportunity,Company Name,Email,Industry,Expected Revenue,Created on,Stage,Salesperson",
                "1001,Acme deal,Acme,ada@acme.example,Software,1250000.00,2026-01-15 09:30:00,New,Mitchell Admin",
                "1002,Shopco deal,Shopco,grace@shop.example,Retail,90000.00,2026-02-01 00:00:00,Qualified,Mitchell Admin",
            ],
            null,
            null,
            ["--time-zone", "UTC"]
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Score_PresetExport_ScoresAsOurOwnFormat(string preset, string[] theirLeads, string[]? theirActivities, string[]? ownActivities, string[] args)
    {
        using var dir = new TempFolder();
        string model = dir.Write("model.json", Model);
        string[] ownLeads = preset == "odoo"
            ? ["id,industry,annualRevenue,createdAt", "1001,Software,1250000.00,2026-01-15T09:30:00Z", "1002,Retail,90000,2026-02-01T00:00:00Z"] // crm.lead has no employee count
            : OwnLeads;
        var own = new List<string> { "score", "--model", model, "--leads", dir.Write("own.csv", ownLeads), "--as-of", "2026-03-01T00:00:00Z" };
        var theirs = new List<string> { "score", "--model", model, "--leads", dir.Write("theirs.csv", theirLeads), "--as-of", "2026-03-01T00:00:00Z", "--from", preset };
        if (theirActivities is not null)
        {
            own.AddRange(["--activities", dir.Write("own-activities.csv", ownActivities!)]);
            theirs.AddRange(["--activities", dir.Write("their-activities.csv", theirActivities)]);
        }

        theirs.AddRange(args);
        var expected = await CliRun.RunAsync([.. own]);
        var actual = await CliRun.RunAsync([.. theirs]);

        Assert.Equal(ExitCodes.Success, expected.ExitCode);
        Assert.True(actual.ExitCode == ExitCodes.Success, actual.Error);
        Assert.Equal(expected.Out, actual.Out);
        Assert.Contains("1001,", actual.Out, StringComparison.Ordinal);
    }
}
