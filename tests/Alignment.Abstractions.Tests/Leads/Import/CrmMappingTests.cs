using Alignment.Activities;
using Alignment.Leads.Import;
using Alignment.Models;

namespace Alignment.Abstractions.Tests.Leads.Import;

public sealed class CrmMappingTests
{
    [Fact]
    public void Presets_EveryTargetIsOneOfOurColumns_AndEveryNameIsFound()
    {
        Assert.Equal(["salesforce", "hubspot", "dynamics", "marketo", "pardot", "odoo"], CrmPresets.Names.ToArray());
        foreach (var preset in CrmPresets.All)
        {
            Assert.True(CrmPresets.TryGet(preset.Name.ToUpperInvariant(), out var found));
            Assert.Same(preset, found);
            Assert.NotEmpty(preset.Description);
            Assert.Contains(preset.Columns, c => c.Value == CrmColumns.Id);
            foreach (var (header, column) in preset.Columns)
            {
                Assert.True(column.Length == 0 || CrmColumns.TryNormalize(column, out _), $"{preset.Name}: {header} → {column}");
            }

            Assert.All(preset.Outcomes.Values, o => Assert.Contains(o, CrmColumns.Outcomes));
            Assert.All(preset.DateFormats, f => Assert.True(CrmValueReader.IsValidDateFormat(f, out _), f));
        }

        Assert.True(CrmPresets.TryGet("account-engagement", out var pardot));
        Assert.Same(CrmPresets.Pardot, pardot);
        Assert.False(CrmPresets.TryGet("sap", out _));
    }

    [Fact]
    public void Resolve_MapsLabelsAndApiNames_CaseInsensitively_AndPassesOthersThrough()
    {
        Assert.Equal("employeeCount", CrmPresets.Salesforce.Resolve(" No. of Employees "));
        Assert.Equal("employeeCount", CrmPresets.Salesforce.Resolve("numberofemployees"));
        Assert.Equal("createdAt", CrmPresets.HubSpot.Resolve("createdate"));
        Assert.Equal(string.Empty, CrmPresets.Dynamics.Resolve("(Do Not Modify) Row Checksum"));
        Assert.Equal("industry", CrmPresets.Odoo.Resolve("industry"));
        Assert.Equal(ActivityType.FormSubmitted, CrmPresets.Marketo.ActivityTypes["Fill Out Form"]);
        Assert.Equal("won", CrmPresets.Salesforce.Outcomes["closed - converted"]);
    }

    [Fact]
    public void RankPresets_AndSuggestHeader_FindTheExportsTool()
    {
        string[] header = ["Record ID", "Email", "Create Date", "Number of Employees", "Favourite Colour"];

        var ranked = CrmHeaderMatch.RankPresets(header);

        Assert.Equal("hubspot", ranked[0].Preset.Name);
        Assert.Equal(3, ranked[0].Matched); // Email is one of our own names: it says nothing about the tool
        Assert.Equal("Record ID", CrmHeaderMatch.SuggestHeader("id", header));
        Assert.Equal("Lead Number", CrmHeaderMatch.SuggestHeader("id", ["Name", "Lead Number"]));
        Assert.Equal("employeeCount", CrmHeaderMatch.SuggestColumn("Headcount"));
        Assert.Null(CrmHeaderMatch.SuggestColumn("Favourite Colour"));
    }

    [Fact]
    public void Parse_ExtendsAPreset_AndRoundTripsThroughWrite()
    {
        var mapping = CrmMappingJson.Parse(
            """
            { "name": "ours", "extends": "salesforce", "columns": { "Headcount": "employeeCount", "Notes": null, "Tier": "attributes.tier" },
              "constants": { "source": "trade-show" }, "activityTypes": { "Webinar Attended": "webinarAttended" },
              "outcomes": { "Junk": "disqualified" }, "culture": "de-DE", "dateFormats": ["dd.MM.yyyy"], "timeZone": "Europe/Berlin" }
            """,
            "map.json");

        Assert.Equal("ours", mapping.Name);
        Assert.Equal("employeeCount", mapping.Resolve("Headcount"));
        Assert.Equal("employeeCount", mapping.Resolve("No. of Employees")); // from the preset
        Assert.Equal(string.Empty, mapping.Resolve("Notes"));
        Assert.Equal("tier", mapping.Resolve("Tier"));
        Assert.Equal("trade-show", mapping.Constants["source"]);
        Assert.Equal(ActivityType.WebinarAttended, mapping.ActivityTypes["webinar attended"]);
        Assert.Equal(ActivityType.SalesCall, mapping.ActivityTypes["Call"]); // from the preset
        Assert.Equal("disqualified", mapping.Outcomes["Junk"]);
        Assert.Equal("de-DE", mapping.Culture);
        Assert.Equal(["dd.MM.yyyy"], mapping.DateFormats.ToArray());
        Assert.Equal("Europe/Berlin", mapping.TimeZone);

        var again = CrmMappingJson.Parse(CrmMappingJson.Write(mapping), "again.json");
        Assert.Equal(mapping.Columns.OrderBy(c => c.Key), again.Columns.OrderBy(c => c.Key));
        Assert.Equal(mapping.ActivityTypes.OrderBy(c => c.Key), again.ActivityTypes.OrderBy(c => c.Key));
        Assert.Equal(mapping.Outcomes.OrderBy(c => c.Key), again.Outcomes.OrderBy(c => c.Key));
        Assert.Equal(mapping.Constants.OrderBy(c => c.Key), again.Constants.OrderBy(c => c.Key));
        Assert.Equal(mapping.DateFormats.ToArray(), again.DateFormats.ToArray());
        Assert.Equal((mapping.Culture, mapping.TimeZone), (again.Culture, again.TimeZone));
    }

    [Fact]
    public void Parse_ReportsEveryProblemWithItsJsonPath()
    {
        var e = Assert.Throws<ModelException>(() => CrmMappingJson.Parse(
            """
            { "extends": "salesforse", "columns": { "A": "employeeCuont", "B": 3, "lead id": "id", "Lead ID": "id" },
              "constants": { "id": "x", "nope": "y" }, "activityTypes": { "Opened": "emailOpen" }, "outcomes": { "Won": "victory" },
              "culture": "xx-NOPE", "dateFormats": ["HH:mm"], "timeZone": "Mars/Olympus", "extra": 1 }
            """,
            "map.json"));

        var byPath = e.Errors.ToDictionary(x => x.Path);
        Assert.Equal("did you mean 'salesforce'?", byPath["$.extends"].Suggestion);
        Assert.Equal("did you mean 'employeeCount'?", byPath["$.columns.A"].Suggestion);
        Assert.Equal("must be a string", byPath["$.columns.B"].Message);
        Assert.Contains("appears twice", byPath["$.columns['Lead ID']"].Message, StringComparison.Ordinal);
        Assert.Contains("cannot be a constant", byPath["$.constants.id"].Message, StringComparison.Ordinal);
        Assert.Contains("is not a column of ours", byPath["$.constants.nope"].Message, StringComparison.Ordinal);
        Assert.Equal("did you mean 'emailOpened'?", byPath["$.activityTypes.Opened"].Suggestion);
        Assert.Contains("is not an outcome", byPath["$.outcomes.Won"].Message, StringComparison.Ordinal);
        Assert.Contains("is not a culture name", byPath["$.culture"].Message, StringComparison.Ordinal);
        Assert.Contains("day, a month and a year", byPath["$.dateFormats[0]"].Message, StringComparison.Ordinal);
        Assert.Contains("is not a time zone", byPath["$.timeZone"].Message, StringComparison.Ordinal);
        Assert.Contains("is not a property of a mapping file", byPath["$.extra"].Message, StringComparison.Ordinal);
        Assert.Equal(12, e.Errors.Length);
    }

    [Theory]
    [InlineData("[]", "$")]
    [InlineData("{ \"columns\": [] }", "$.columns")]
    [InlineData("{ \"columns\": ", "$ (line 1")]
    public void Parse_WrongShapeOrMalformed_IsAnError(string json, string pathStart)
    {
        var e = Assert.Throws<ModelException>(() => CrmMappingJson.Parse(json, "map.json"));

        Assert.StartsWith(pathStart, e.Errors[0].Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HalfASurrogatePair_IsAnErrorNotACrash()
    {
        var e = Assert.Throws<ModelException>(() => CrmMappingJson.Parse("{ \"name\": \"a\uD800b\" }", "map.json"));

        Assert.Equal("$", e.Errors[0].Path);
    }

    [Fact]
    public void Parse_AnEscapedHalfSurrogateInAValue_IsAModelException()
    {
        // Found by the fuzz test: "\ud800" is valid JSON, but reading it as a string threw InvalidOperationException.
        var e = Assert.Throws<ModelException>(() => CrmMappingJson.Parse("{ \"dateFormats\": [\"dd.MM\\ud800\"] }", "map.json"));
        Assert.Contains("surrogate", e.Message, StringComparison.Ordinal);
    }
}
