using Alignment.Models;
using Alignment.Scoring.Definitions;
using Alignment.Scoring.Governance;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Scoring.Tests.Governance;

public sealed class ScoringModelReleaseJsonTests
{
    private static readonly string ModelJson = TestData.Model("""
        "fit": [ {"id": "software", "points": 15, "when": {"field": "company.industry", "equals": "Software"}} ]
        """);

    [Fact]
    public void Write_ThenParse_RoundTripsDefinitionAndApprovals()
    {
        var time = new FakeTimeProvider(TestData.Now);
        var release = new ScoringModelRelease(ScoringModelJson.Parse(ModelJson))
            .Approve("mia@example.com", ApprovalSide.Marketing, time, "ok for Q2")
            .Approve("sam@example.com", ApprovalSide.Sales, time);

        var read = ScoringModelReleaseJson.Parse(ScoringModelReleaseJson.Write(release), "release.json");

        Assert.Equal(release.Definition, read.Definition);
        Assert.Equal(release.ContentHash, read.ContentHash);
        Assert.True(release.Approvals.SequenceEqual(read.Approvals));
        Assert.True(read.IsPublishable);
    }

    [Fact]
    public void Parse_PlainModelFile_ReleaseWithoutApprovals()
    {
        var release = ScoringModelReleaseJson.Parse(ModelJson, "model.json");

        Assert.Empty(release.Approvals);
        Assert.Equal(ScoringModelJson.Parse(ModelJson), release.Definition);
    }

    [Fact]
    public void Parse_EditedModelInReleaseFile_ApprovalsReadButVoid()
    {
        var time = new FakeTimeProvider(TestData.Now);
        var release = new ScoringModelRelease(ScoringModelJson.Parse(ModelJson)).Approve("mia", ApprovalSide.Marketing, time);
        string edited = ScoringModelReleaseJson.Write(release).Replace("\"points\": 15", "\"points\": 16", StringComparison.Ordinal);

        var read = ScoringModelReleaseJson.Parse(edited);

        Assert.Single(read.Approvals);
        Assert.Empty(read.ValidApprovals);
    }

    [Fact]
    public void Parse_BadModelAndBadApproval_ListsEveryProblemWithPath()
    {
        string json = """
            {
              "model": { "id": "m", "version": "1.0.0", "thresholds": { "mql": {"score": "x"} } },
              "approvals": [ { "approvedBy": "mia", "side": "finance", "approvedAt": "yesterday", "contentHash": "abc" } ],
              "extra": 1
            }
            """;

        var ex = Assert.Throws<ModelException>(() => ScoringModelReleaseJson.Parse(json, "release.json"));

        Lines.Equal(
            new[]
            {
                "$.extra: unknown property; a release has 'model' and 'approvals'",
                "$.model.thresholds.mql.score: expected a number, found a text \"x\"",
                "$.approvals[0].side: expected \"marketing\" or \"sales\", found \"finance\"",
                "$.approvals[0].approvedAt: expected an ISO 8601 instant with offset (2026-03-01T12:00:00Z), found \"yesterday\"",
                "$.approvals[0].contentHash: expected 64 lower-case hex digits (the model's SHA-256 content hash)",
            },
            ex.Errors.Select(e => e.ToString()).ToArray());
        Assert.Equal("release.json", ex.Document);
    }

    [Fact]
    public void Parse_ApprovalFieldGivenTwice_IsRefusedWithItsPath()
    {
        var time = new FakeTimeProvider(TestData.Now);
        var release = new ScoringModelRelease(ScoringModelJson.Parse(ModelJson)).Approve("mia@example.com", ApprovalSide.Marketing, time);
        string json = ScoringModelReleaseJson.Write(release)
            .Replace("\"approvedBy\": \"mia@example.com\"", "\"approvedBy\": \"mia@example.com\", \"approvedBy\": \"sam@example.com\"", StringComparison.Ordinal);

        var ex = Assert.Throws<ModelException>(() => ScoringModelReleaseJson.Parse(json, "release.json"));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.approvals[0].approvedBy", error.Path);
        Assert.StartsWith("the property 'approvedBy' appears more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PropertyGivenTwiceInTheModel_IsRefusedWithItsPathInTheRelease()
    {
        string json = $$"""{ "model": {{ModelJson.Replace("\"points\": 15", "\"points\": 15, \"points\": 999999", StringComparison.Ordinal)}}, "approvals": [] }""";

        var ex = Assert.Throws<ModelException>(() => ScoringModelReleaseJson.Parse(json, "release.json"));

        Assert.Equal("$.model.fit[0].points", Assert.Single(ex.Errors).Path);
    }

    [Fact]
    public void Parse_ApproverNameWithControlCharacters_IsRefused()
    {
        string hash = ScoringModelJson.ComputeContentHash(ScoringModelJson.Parse(ModelJson));
        string json = $$"""
            { "model": {{ModelJson}},
              "approvals": [ { "approvedBy": "mia\tsam", "side": "marketing", "approvedAt": "2026-03-01T12:00:00Z", "contentHash": "{{hash}}" } ] }
            """;

        var ex = Assert.Throws<ModelException>(() => ScoringModelReleaseJson.Parse(json, "release.json"));

        Assert.Equal(
            "$.approvals[0].approvedBy: the approver's name cannot hold control or bidirectional formatting characters; found U+0009 at position 4",
            Assert.Single(ex.Errors).ToString());
        var release = new ScoringModelRelease(ScoringModelJson.Parse(ModelJson));
        Assert.Throws<ArgumentException>(() => release.Approve("mia\nsam", ApprovalSide.Marketing, new FakeTimeProvider(TestData.Now)));
    }

    [Fact]
    public void Parse_Limits_ApplyToTheWholeReleaseFile()
    {
        var time = new FakeTimeProvider(TestData.Now);
        var release = new ScoringModelRelease(ScoringModelJson.Parse(ModelJson)).Approve("mia@example.com", ApprovalSide.Marketing, time);
        string json = ScoringModelReleaseJson.Write(release);

        var ex = Assert.Throws<ModelException>(() => ScoringModelReleaseJson.Parse(json, "release.json", new ModelReadLimits { MaxBytes = json.Length - 1 }));

        Assert.Contains("ModelReadLimits.MaxBytes", Assert.Single(ex.Errors).Message, StringComparison.Ordinal);
        Assert.Single(ScoringModelReleaseJson.Parse(json, "release.json", new ModelReadLimits { MaxBytes = json.Length }).Approvals);
    }
}
