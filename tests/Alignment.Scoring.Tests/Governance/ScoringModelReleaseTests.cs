using Alignment.Models;
using Alignment.Scoring.Definitions;
using Alignment.Scoring.Governance;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Scoring.Tests.Governance;

public sealed class ScoringModelReleaseTests
{
    private static readonly FakeTimeProvider Time = new(TestData.Now);

    private static ScoringModelDefinition Definition(decimal points = 15) => ScoringModelJson.Parse(TestData.Model(
        "\"fit\": [ {\"id\": \"software\", \"points\": " + points.ToString(System.Globalization.CultureInfo.InvariantCulture) +
        ", \"when\": {\"field\": \"company.industry\", \"equals\": \"Software\"}} ]"));

    [Fact]
    public void ContentHash_IsTheModelsHash_AndIgnoresApprovals()
    {
        var release = new ScoringModelRelease(Definition());
        var approved = release.Approve("mia", ApprovalSide.Marketing, Time);

        Assert.Equal(ScoringModelJson.ComputeContentHash(Definition()), release.ContentHash);
        Assert.Equal(release.ContentHash, approved.ContentHash);
        Assert.Equal(release.ContentHash, approved.Approvals[0].ContentHash);
        Assert.Equal(TestData.Now, approved.Approvals[0].ApprovedAt);
    }

    [Fact]
    public void IsPublishable_BothSidesApproveSameContent_True()
    {
        var release = new ScoringModelRelease(Definition())
            .Approve("mia", ApprovalSide.Marketing, Time)
            .Approve("sam", ApprovalSide.Sales, Time);

        Assert.True(release.IsPublishable);
        Assert.Empty(release.GetPublishProblems());
        release.EnsurePublishable();
    }

    [Fact]
    public void IsPublishable_OneSideOnly_FalseAndNamesTheMissingSide()
    {
        var release = new ScoringModelRelease(Definition())
            .Approve("mia", ApprovalSide.Marketing, Time)
            .Approve("max", ApprovalSide.Marketing, Time);

        Assert.False(release.IsPublishable);
        Assert.True(release.IsApprovedBy(ApprovalSide.Marketing));
        Assert.False(release.IsApprovedBy(ApprovalSide.Sales));
        string hash = release.ContentHash[..12];
        Assert.Equal($"no sales approval of content {hash}", release.GetPublishProblems()[0]);
        var ex = Assert.Throws<ModelNotPublishableException>(release.EnsurePublishable);
        Assert.Equal($"Scoring model test@1.0.0 cannot be published:{Environment.NewLine}  no sales approval of content {hash}", ex.Message);
    }

    [Fact]
    public void IsPublishable_NoApproval_ListsBothSides()
    {
        var release = new ScoringModelRelease(Definition());
        string hash = release.ContentHash[..12];

        Lines.Equal(new[] { $"no marketing approval of content {hash}", $"no sales approval of content {hash}" }, release.GetPublishProblems().ToArray());
    }

    [Fact]
    public void Edit_ChangedContent_VoidsEveryEarlierApproval()
    {
        var approved = new ScoringModelRelease(Definition(15))
            .Approve("mia", ApprovalSide.Marketing, Time)
            .Approve("sam", ApprovalSide.Sales, Time);

        var edited = approved.Edit(Definition(20));

        Assert.NotEqual(approved.ContentHash, edited.ContentHash);
        Assert.Equal(2, edited.Approvals.Length);
        Assert.Empty(edited.ValidApprovals);
        Assert.Equal(2, edited.VoidApprovals.Length);
        Assert.False(edited.IsPublishable);
        string hash = edited.ContentHash[..12];
        Lines.Equal(
            new[]
            {
                $"no marketing approval of content {hash} (the approval by mia was for earlier content and is void)",
                $"no sales approval of content {hash} (the approval by sam was for earlier content and is void)",
            },
            edited.GetPublishProblems().ToArray());
    }

    [Fact]
    public void Edit_ChangedThenReapprovedByBothSides_PublishableAgain()
    {
        var edited = new ScoringModelRelease(Definition(15))
            .Approve("mia", ApprovalSide.Marketing, Time)
            .Approve("sam", ApprovalSide.Sales, Time)
            .Edit(Definition(20))
            .Approve("mia", ApprovalSide.Marketing, Time);

        Assert.False(edited.IsPublishable);
        Assert.True(edited.Approve("sam", ApprovalSide.Sales, Time).IsPublishable);
    }

    [Fact]
    public void Edit_SameContent_KeepsApprovalsValid()
    {
        var approved = new ScoringModelRelease(Definition(15))
            .Approve("mia", ApprovalSide.Marketing, Time)
            .Approve("sam", ApprovalSide.Sales, Time);

        Assert.True(approved.Edit(Definition(15)).IsPublishable);
    }

    [Fact]
    public void Approve_SamePersonForBothSides_Throws()
    {
        var release = new ScoringModelRelease(Definition()).Approve("mia", ApprovalSide.Marketing, Time);

        var ex = Assert.Throws<InvalidOperationException>(() => release.Approve("MIA", ApprovalSide.Sales, Time));
        Assert.Equal($"MIA already approved content {release.ContentHash[..12]} of test@1.0.0 for marketing; the sales approval must come from someone else.", ex.Message);
    }

    [Fact]
    public void Approve_SamePersonSameSideTwice_ReturnsSameRelease()
    {
        var release = new ScoringModelRelease(Definition()).Approve("mia", ApprovalSide.Marketing, Time);

        Assert.Same(release, release.Approve("mia", ApprovalSide.Marketing, Time));
    }

    [Fact]
    public void IsPublishable_HandWrittenSamePersonOnBothSides_False()
    {
        var definition = Definition();
        string hash = ScoringModelJson.ComputeContentHash(definition);
        var release = new ScoringModelRelease(definition,
            [new ModelApproval("mia", ApprovalSide.Marketing, TestData.Now, hash), new ModelApproval("mia", ApprovalSide.Sales, TestData.Now, hash)]);

        Lines.Equal(new[] { $"the marketing and sales approvals of content {hash[..12]} are by the same person; each side needs its own approver" }, release.GetPublishProblems().ToArray());
    }

    [Fact]
    public void Constructor_MalformedHash_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ScoringModelRelease(Definition(), [new ModelApproval("mia", ApprovalSide.Marketing, TestData.Now, "abc")]));
        Assert.StartsWith("Approval 0 (by mia) has content hash 'abc'; expected 64 lower-case hex digits.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_ProducesModelWithTheReleaseHash()
    {
        var release = new ScoringModelRelease(Definition());
        var model = release.Compile(new ScoringModelOptions { Schema = TestData.Schema });

        Assert.Equal(release.ContentHash, model.ContentHash);
        Assert.Equal(release.ContentHash, model.Score(TestData.Lead(), [], TestData.Now).ModelHash);
    }
}
