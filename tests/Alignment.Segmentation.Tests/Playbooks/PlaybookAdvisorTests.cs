using Alignment.Scoring;
using Alignment.Segmentation.Collateral;
using Alignment.Segmentation.Playbooks;
using Alignment.Segmentation.Rules;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Segmentation.Tests.Playbooks;

public sealed class PlaybookAdvisorTests
{
    [Fact]
    public void Recommend_ReturnsTheSegmentsPlaybookWithFreshApprovedItemsOnly()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var library = new CollateralLibrary(time, 12);
        var segment = new SegmentId("enterprise-software");
        library.Add(new CollateralDraft("approved", "Approved", "m", [segment]));
        library.Approve("approved", new Reviewer("s", ReviewerRole.Sales));
        library.Add(new CollateralDraft("pending", "Pending", "m", [segment]));
        library.Add(new CollateralDraft("elsewhere", "Other segment", "m", [new SegmentId("general")]));
        library.Approve("elsewhere", new Reviewer("s", ReviewerRole.Sales));
        var advisor = new PlaybookAdvisor(SegmentationModelLoader.Load(TestData.ModelJson, null), library);

        var recommendation = advisor.Recommend(TestData.Lead("l", "SaaS", 3000), TestData.Score("l", Grade.B, 5));

        Assert.Equal(segment, recommendation.Assignment.Segment);
        Assert.Equal("Cut release risk across hundreds of teams with one governed delivery platform.", recommendation.Playbook!.ValueProposition);
        Assert.Equal("approved", Assert.Single(recommendation.Collateral).Item.Id);
    }
}
