using Alignment.Activities;
using Alignment.Cli.Csv;
using Alignment.Scoring.Backtesting;

namespace Alignment.Cli.Tests.Csv;

public sealed class BacktestCsvTests
{
    private const string History = """
        id,scoredAt,outcome,closedAt,industry,employeeCount,country,intentScore,isCustomer,plan,Extra
        L1,2026-01-15T09:00:00Z,won,2026-02-01,Software,500,United States,12.5,yes,pro,x

        L2,2026-01-20,lost,,Retail,,,,,,
        L3,2026-02-01T10:00:00+01:00,open,,,,,,0,,
        """;

    private const string Activities = """
        leadId,type,timestamp,url
        L1,pageView,2026-01-14T09:00:00Z,/pricing
        L1,pageView,2026-01-16T09:00:00Z,/pricing
        L3,formSubmitted,2026-01-31,
        """;

    private static BacktestHistory Read(string history, string? activities = Activities) =>
        BacktestCsv.ReadHistory(new StringReader(history), "history.csv", activities is null ? null : new StringReader(activities), "activities.csv", CsvTestData.Schema);

    [Fact]
    public void ReadHistory_ValidFiles_ReadsLeadsOutcomesAndActivities()
    {
        var history = Read(History);

        Assert.Equal(3, history.Count);
        var l1 = history[0];
        Assert.Equal("L1", l1.Lead.Id.Value);
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero), l1.ScoredAt);
        Assert.Equal(BacktestOutcome.Won, l1.Outcome);
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), l1.ClosedAt);
        Assert.Equal(("Software", 500, "United States"), (l1.Lead.Company.Industry, l1.Lead.Company.EmployeeCount, l1.Lead.Company.Country));
        Assert.Equal(12.5, l1.Lead.Attributes.GetNumber(0));
        Assert.True(l1.Lead.Attributes.GetBoolean(1));
        Assert.Equal("pro", l1.Lead.Attributes.GetText(2));
        Assert.Equal(2, l1.Activities.Length);
        Assert.Equal("/pricing", l1.Activities[0].Url);
        var l2 = history[1];
        Assert.Null(l2.Lead.Company.EmployeeCount);
        Assert.True(double.IsNaN(l2.Lead.Attributes.GetNumber(0)));
        Assert.False(l2.Lead.Attributes.HasValue(1));
        Assert.Null(l2.ClosedAt);
        Assert.Empty(l2.Activities);
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 9, 0, 0, TimeSpan.Zero), history[2].ScoredAt.ToUniversalTime());
        Assert.Equal(ActivityType.FormSubmitted, history[2].Activities[0].Type);
    }

    [Fact]
    public void Backtest_FromCsv_ActivityAfterScoringInstantNeverCounts()
    {
        var model = CsvTestData.Compile("""
            "engagement": [ {"id": "pricing", "activity": "pageView", "urlContains": "/pricing", "points": 7} ]
            """);

        var scores = Backtester.Replay(model, Read(History));

        Assert.Equal(7m, scores[0].Total); // the view of 2026-01-16 is after L1's scoring instant
    }

    [Theory]
    [InlineData("id,scoredAt,outcome,intentScore,isCustomer,plan\nL1,2026-01-15,maybe,,,\n", "history.csv, line 2, column 'outcome': 'maybe' is not won, lost, disqualified or open")]
    [InlineData("id,scoredAt,outcome,intentScore,isCustomer,plan\nL1,15/01/2026,won,,,\n", "history.csv, line 2, column 'scoredAt': '15/01/2026' is not an ISO 8601 date or instant (for example 2026-03-01 or 2026-03-01T12:00:00Z)")]
    [InlineData("id,scoredAt,outcome,intentScore,isCustomer,plan\nL1,2026-01-15,won,,,\nL1,2026-01-15,won,,,\n", "history.csv, line 3, column 'id': lead 'L1' appears twice")]
    [InlineData("id,scoredAt,outcome,intentScore,isCustomer,plan\nL1,2026-01-15,won,high,,\n", "history.csv, line 2, column 'intentScore': 'high' is not a number")]
    [InlineData("id,scoredAt,outcome,intentScore,isCustomer,plan,employeeCount\nL1,2026-01-15,won,,,,-3\n", "history.csv, line 2, column 'employeeCount': '-3' is not a whole number of at least 0")]
    [InlineData("id,scoredAt,outcome,closedAt,intentScore,isCustomer,plan\nL1,2026-01-15,won,2026-01-14,,,\n", "history.csv, line 2, column 'closedAt': the lead closed (2026-01-14T00:00:00.0000000+00:00) before it was scored (2026-01-15T00:00:00.0000000+00:00)")]
    [InlineData("id,scoredAt,intentScore,isCustomer,plan\nL1,2026-01-15,,,\n", "history.csv, line 1, column 'outcome': the column is missing from the header")]
    [InlineData("id,scoredAt,outcome\nL1,2026-01-15,won\n", "history.csv, line 1, column 'intentScore': the column is missing from the header")]
    [InlineData("id,scoredAt,outcome,intentScore,isCustomer,plan\n,2026-01-15,won,,,\n", "history.csv, line 2, column 'id': the id is empty")]
    public void ReadHistory_BadHistory_NamesFileLineAndColumn(string history, string message)
    {
        var ex = Assert.Throws<LeadCsvException>(() => Read(history, activities: null));

        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("leadId,type,timestamp\nL1,pageView,2026-01-14\nL9,pageView,2026-01-14\n", "activities.csv, line 3, column 'leadId': lead 'L9' is not in the history file")]
    [InlineData("leadId,type,timestamp\nL1,call,2026-01-14\n", "activities.csv, line 2, column 'type': 'call' is not an activity type (expected one of emailSent, emailOpened, emailClicked, webVisit, pageView, formSubmitted, contentDownloaded, webinarInvited, webinarRegistered, webinarAttended, eventContact, demoRequested, unsubscribed, bounced, salesCall, salesMeeting)")]
    [InlineData("leadId,type,timestamp\nL1,pageView,yesterday\n", "activities.csv, line 2, column 'timestamp': 'yesterday' is not an ISO 8601 date or instant (for example 2026-03-01T12:00:00Z)")]
    [InlineData("leadId,timestamp\nL1,2026-01-14\n", "activities.csv, line 1, column 'type': the column is missing from the header")]
    public void ReadHistory_BadActivities_NamesFileLineAndColumn(string activities, string message)
    {
        var ex = Assert.Throws<LeadCsvException>(() => Read(History, activities));

        Assert.Equal(message, ex.Message);
        Assert.Equal("activities.csv", ex.FileName);
    }

    [Fact]
    public void LeadCsvReader_ReadAll_ReadsALeadsExport()
    {
        var leads = LeadCsvReader.ReadAll(new StringReader("id,jobTitle,email,source\nA,VP Sales,ann@acme.com,Webinar\nB,,,\n"), "leads.csv");

        Assert.Equal(2, leads.Count);
        Assert.Equal(("VP Sales", "acme.com", "Webinar"), (leads[0].Person.JobTitle, leads[0].Person.EmailDomain, leads[0].Source));
        Assert.Null(leads[1].Person.JobTitle);
    }

    [Fact]
    public void LeadCsvReader_CreateSchema_UnionOfModelAttributes()
    {
        var a = Alignment.Scoring.Definitions.ScoringModelJson.Parse(CsvTestData.Model("\"fit\": []"));
        var b = a with { Attributes = [new("seats", Alignment.Leads.AttributeKind.Number), new("plan", Alignment.Leads.AttributeKind.Text)] };

        var schema = LeadCsvReader.CreateSchema([a, b]);

        Assert.Equal(["intentScore", "isCustomer", "plan", "seats"], schema.Definitions.Select(d => d.Name).ToArray());
    }
}
