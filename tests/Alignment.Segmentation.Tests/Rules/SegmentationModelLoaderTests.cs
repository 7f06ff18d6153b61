using Alignment.Models;
using Alignment.Segmentation.Rules;

namespace Alignment.Segmentation.Tests.Rules;

public sealed class SegmentationModelLoaderTests
{
    [Fact]
    public void Load_ValidModel_ReportsEveryOverlapWithAnExample()
    {
        var model = SegmentationModelLoader.Load(TestData.ModelJson, null);
        Assert.Equal(["enterprise-software", "dach-mid-market", "hot-a-grade"], model.Definitions.Select(d => d.Id.Value));
        // enterprise-software and dach-mid-market cannot both match: their size bands are disjoint.
        Assert.Equal(
            [
                "'enterprise-software' and 'hot-a-grade' can both match (for example company.employeeCount = 1000; company.industry = SaaS; score.engagement = 40; score.grade = A-); 'enterprise-software' wins.",
                "'dach-mid-market' and 'hot-a-grade' can both match (for example company.country = AT; company.employeeCount = 100; score.engagement = 40; score.grade = A-); 'dach-mid-market' wins.",
            ],
            model.Overlaps.Select(o => o.ToString()));
    }

    [Fact]
    public void Load_LaterDefinitionCoveredByEarlier_IsReportedUnreachable()
    {
        const string json = """
        { "id": "m", "segments": [
            { "id": "software", "when": [ { "field": "company.industry", "in": ["Software", "SaaS"] } ] },
            { "id": "big-software", "when": [ { "field": "company.industry", "in": ["software"] }, { "field": "company.employeeCount", "atLeast": 1000 } ] },
            { "id": "retail", "when": [ { "field": "company.industry", "in": ["Retail"] } ] } ],
          "default": { "id": "rest" } }
        """;
        var overlap = Assert.Single(SegmentationModelLoader.Load(json, null).Overlaps);
        Assert.Equal(new SegmentOverlap(new SegmentId("software"), new SegmentId("big-software"), "company.employeeCount = 1000; company.industry = software", true), overlap);
    }

    [Fact]
    public void Load_OverlapsAreErrors_FailsWithThePathOfTheLaterDefinition()
    {
        var ex = Assert.Throws<ModelException>(() => SegmentationModelLoader.Load(TestData.ModelJson, new SegmentationLoadOptions { OverlapsAreErrors = true }));
        Assert.Equal(["$.segments[2].when", "$.segments[2].when"], ex.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Load_InvalidModel_ListsEveryProblemWithItsPath()
    {
        const string json = """
        { "bands": [ { "name": "sizeBand", "field": "company.industry", "values": [ { "name": "a", "below": 10 }, { "name": "b", "atLeast": 5 } ] } ],
          "segments": [
            { "id": "x", "when": [ { "field": "company.colour", "in": ["red"] } ] },
            { "id": "X", "when": [ { "field": "company.employeeCount", "atLeast": 10, "below": 5 } ] },
            { "id": "y", "when": [] },
            { "id": "z", "when": [ { "field": "score.grade", "atLeast": "Q" }, { "field": "company.industry", "atLeast": 3 } ] },
            { "id": "w", "when": [ { "field": "company.employeeCount", "atLeast": 500 }, { "field": "company.employeeCount", "below": 100 } ] },
            { "id": "v", "when": [ { "field": "company.country", "in": ["DE"] } ], "playbook": { "proofPoints": ["p"] } }
          ] }
        """;
        var ex = Assert.Throws<ModelException>(() => SegmentationModelLoader.Load(json, null));
        Assert.Equal(
            [
                "$.id: The model needs an id.",
                "$.bands[0].field: 'company.industry' is not a number field (bands cut a number field such as company.employeeCount).",
                "$.bands[0].values[1]: The band 'b' overlaps the band 'a'.",
                "$.segments[0].when[0].field: Unknown field 'company.colour'. Use a lead field (company.*, person.*, lead.*, score.*; see the lead-field catalogue), attributes.<name>, cluster.<id> or a band set name.",
                "$.segments[1].when[0]: The range is empty: 'atLeast' (10) must be less than 'below' (5).",
                "$.segments[1].id: The segment id 'X' is used twice (ids are compared case-insensitively).",
                "$.segments[2].when: A segment definition needs at least one condition; put 'everything else' in the default segment.",
                "$.segments[3].when[0].atLeast: Expected a grade letter (F, D-, D, ... A, A+), found Q.",
                "$.segments[3].when[1]: 'company.industry' is a text field; a range ('atLeast'/'below') does not apply.",
                "$.segments[4].when: The conditions on company.employeeCount contradict each other (company.employeeCount >= 500 and company.employeeCount < 100); the definition can never match.",
                "$.segments[5].playbook.valueProposition: The playbook needs a value proposition.",
                "$.default: The model needs a default segment, for every lead no definition matches.",
            ],
            ex.Errors.Select(e => e.ToString()));
        Assert.StartsWith("'segmentation model' is not a valid model (12 problems):", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_MalformedJson_ReturnsTheJsonPathAndLine()
    {
        Assert.False(SegmentationModelLoader.TryLoad("""{ "id": "m", "segments": [ { "id": 5 } ] }""", null, out _, out var errors));
        var error = Assert.Single(errors);
        Assert.Equal("$.segments[0].id", error.Path);
        Assert.Contains("(line 1,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_UnknownProperty_IsRejected()
    {
        Assert.False(SegmentationModelLoader.TryLoad("""{ "id": "m", "colour": "red", "default": { "id": "d" } }""", null, out _, out var errors));
        Assert.Contains("colour", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownBandAndAttribute_AreNamed()
    {
        const string json = """
        { "id": "m", "bands": [ { "name": "sizeBand", "field": "company.employeeCount", "values": [ { "name": "smb", "below": 100 } ] } ],
          "segments": [ { "id": "a", "when": [ { "field": "sizeBand", "in": ["huge"] }, { "field": "attributes.nps", "atLeast": 9 } ] } ],
          "default": { "id": "d" } }
        """;
        var ex = Assert.Throws<ModelException>(() => SegmentationModelLoader.Load(json, null));
        Assert.Equal(
            ["$.segments[0].when[0].in: Band set 'sizeBand' has no band 'huge'; its bands are smb.", "$.segments[0].when[1].field: The attribute schema has no attribute 'nps'."],
            ex.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void WriteDocument_RoundTrips()
    {
        var doc = SegmentationModelLoader.ReadDocument(TestData.ModelJson);
        var again = SegmentationModelLoader.Load(SegmentationModelLoader.WriteDocument(doc), null);
        Assert.Equal(3, again.Definitions.Length);
        Assert.Equal("general", again.Default.Id.Value);
    }
}
