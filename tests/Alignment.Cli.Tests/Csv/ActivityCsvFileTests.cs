using Alignment.Activities;
using Alignment.Cli.Csv;

namespace Alignment.Cli.Tests.Csv;

public sealed class ActivityCsvFileTests
{
    private static ActivityCsvFile Read(string text) => ActivityCsvFile.Read(new StringReader(text), "activities.csv");

    [Fact]
    public void Read_GroupsByLeadInFileOrder_AndTakeMarksLeads()
    {
        var file = Read("leadId,type,timestamp,url,campaign\nL1,pageView,2026-01-14T10:00:00Z,/pricing,\nL2,demoRequested,2026-01-15,,Q1\nL1,emailOpened,2026-01-16,,\n");
        Assert.Equal(3, file.Count);
        var l1 = file.Take("L1").ToArray();
        Assert.Equal([ActivityType.PageView, ActivityType.EmailOpened], l1.Select(a => a.Type));
        Assert.Equal("/pricing", l1[0].Url);
        Assert.Equal(new DateTimeOffset(2026, 1, 14, 10, 0, 0, TimeSpan.Zero), l1[0].Timestamp);
        Assert.True(file.Take("nobody").IsEmpty);
        var ex = Assert.Throws<LeadCsvException>(() => file.EnsureAllTaken("leads.csv"));
        Assert.Equal("activities.csv, line 3, column 'leadId': lead 'L2' is not in leads.csv", ex.Message);
        Assert.Equal("Q1", file.Take("L2")[0].Campaign);
        file.EnsureAllTaken("leads.csv");
    }

    [Theory]
    [InlineData("leadId,type\nL1,pageView\n", "activities.csv, line 1, column 'timestamp': the column is missing from the header")]
    [InlineData("leadId,type,timestamp,type\n", "activities.csv, line 1, column 'type': the column appears twice in the header")]
    [InlineData("leadId,type,timestamp\nL1,carrierPigeon,2026-01-01\n", "activities.csv, line 2, column 'type': 'carrierPigeon' is not an activity type")]
    [InlineData("leadId,type,timestamp\nL1,pageView,14/01/2026\n", "activities.csv, line 2, column 'timestamp': '14/01/2026' is not an ISO 8601 date or instant (for example 2026-03-01T12:00:00Z)")]
    [InlineData("leadId,type,timestamp\n,pageView,2026-01-01\n", "activities.csv, line 2, column 'leadId': the lead id is empty")]
    public void Read_BadInput_NamesFileLineAndColumn(string text, string expected)
    {
        var ex = Assert.Throws<LeadCsvException>(() => Read(text));
        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }
}
