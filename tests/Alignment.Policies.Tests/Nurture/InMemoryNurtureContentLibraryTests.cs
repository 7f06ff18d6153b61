using Alignment.Leads;
using Alignment.Policies.Nurture;
using Alignment.Segmentation;

namespace Alignment.Policies.Tests.Nurture;

public sealed class InMemoryNurtureContentLibraryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task GetCandidatesAsync_MatchesTopic_AndTheSegmentAndCampaignWhenTheContentNamesThem()
    {
        var library = new InMemoryNurtureContentLibrary()
            .Add(new NurtureContent("any", "case-study", T0))
            .Add(new NurtureContent("smb", "case-study", T0) { Segment = new SegmentId("smb") })
            .Add(new NurtureContent("ent", "case-study", T0) { Segment = new SegmentId("enterprise") })
            .Add(new NurtureContent("rec-w1", "case-study", T0) { Campaign = "w1" })
            .Add(new NurtureContent("guide", "guide", T0));

        var smb = await library.GetCandidatesAsync(new NurtureContentQuery(new LeadId("l1"), new SegmentId("smb"), "case-study", null, T0));
        var w1 = await library.GetCandidatesAsync(new NurtureContentQuery(new LeadId("l1"), null, "case-study", "w1", T0));

        Assert.Equal(["any", "smb"], smb.Select(c => c.Id));
        Assert.Equal(["any", "rec-w1"], w1.Select(c => c.Id));
    }
}
