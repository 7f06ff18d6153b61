using Alignment.Handoff;
using Alignment.Segmentation.Collateral;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Segmentation.Tests.Collateral;

public sealed class CollateralLibraryTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly SegmentId Segment = new("enterprise-software");
    private static readonly Reviewer SalesLead = new("Sam (sales)", ReviewerRole.Sales);

    private static CollateralDraft Draft(string id) => new(id, $"Title {id}", "marketing@acme", [Segment]);

    [Fact]
    public void Add_NewItem_IsPendingAndNotOfferedUntilASalesReviewerApproves()
    {
        var time = new FakeTimeProvider(Start);
        var library = new CollateralLibrary(time, 12);
        var item = library.Add(Draft("one-pager"));
        Assert.Equal(CollateralStatus.PendingApproval, item.Status);
        Assert.Equal(Start, item.CreatedAt);
        Assert.Equal(Start.AddMonths(12), item.ExpiresAt);
        Assert.Empty(library.GetOffered(Segment));

        var ex = Assert.Throws<ArgumentException>(() => library.Approve("one-pager", new Reviewer("Mia", ReviewerRole.Marketing)));
        Assert.StartsWith("Only a sales reviewer approves or rejects collateral; 'Mia' reviews for Marketing.", ex.Message, StringComparison.Ordinal);
        Assert.Empty(library.GetOffered(Segment));

        var approved = library.Approve("one-pager", SalesLead);
        Assert.Equal("Sam (sales)", approved.ReviewedBy);
        Assert.Equal("one-pager", Assert.Single(library.GetOffered(Segment)).Item.Id);
        Assert.Empty(library.GetOffered(new SegmentId("other")));
    }

    [Fact]
    public void Revise_ApprovedItem_IsWithdrawnUntilApprovedAgain()
    {
        var time = new FakeTimeProvider(Start);
        var library = new CollateralLibrary(time, 12);
        library.Add(Draft("deck"));
        library.Approve("deck", SalesLead);
        time.Advance(TimeSpan.FromDays(30));
        var revised = library.Revise(Draft("deck") with { Title = "Deck v2" });
        Assert.Equal(2, revised.Revision);
        Assert.Equal(CollateralStatus.PendingApproval, revised.Status);
        Assert.Null(revised.ReviewedBy);
        Assert.Equal(Start.AddDays(30).AddMonths(12), revised.ExpiresAt);
        Assert.Empty(library.GetOffered(Segment));
        library.Approve("deck", SalesLead);
        Assert.Equal("Deck v2", Assert.Single(library.GetOffered(Segment)).Item.Title);
    }

    [Fact]
    public void Expiry_TwelveMonthsAfterLastReview_ItemIsNeverOfferedAndListedForRevision()
    {
        var time = new FakeTimeProvider(Start);
        var library = new CollateralLibrary(time, 12);
        library.Add(Draft("old"));
        library.Approve("old", SalesLead);
        library.Add(Draft("fresh"));
        library.Approve("fresh", SalesLead);

        time.SetUtcNow(Start.AddMonths(6));
        library.MarkReviewed("fresh"); // reviewed, still right: expiry pushed to Start + 18 months, approval kept

        time.SetUtcNow(Start.AddMonths(12).AddTicks(-1));
        Assert.Equal(2, library.GetOffered(Segment).Length);
        Assert.Empty(library.GetDueForRevision());

        time.SetUtcNow(Start.AddMonths(12));
        Assert.Equal("fresh", Assert.Single(library.GetOffered(Segment)).Item.Id);
        Assert.Equal("old", Assert.Single(library.GetDueForRevision()).Id);

        library.Retire("old");
        Assert.Empty(library.GetDueForRevision());
    }

    [Fact]
    public void Reject_ItemIsNotOffered_AndKeepsTheReason()
    {
        var library = new CollateralLibrary(new FakeTimeProvider(Start), 12);
        library.Add(Draft("x"));
        var rejected = library.Reject("x", SalesLead, "Pricing slide is out of date");
        Assert.Equal(CollateralStatus.Rejected, rejected.Status);
        Assert.Equal("Pricing slide is out of date", rejected.RejectionReason);
        Assert.Empty(library.GetOffered(Segment));
        Assert.Throws<InvalidOperationException>(() => library.Approve("x", SalesLead));
    }

    [Fact]
    public void GetEffectiveness_CountsUsagesDistinctDealsWinRateAndRatings()
    {
        var library = new CollateralLibrary(new FakeTimeProvider(Start), 12);
        library.Add(Draft("case-study"));
        var ann = new RepId("ann");
        var bob = new RepId("bob");
        library.RecordUsage(new CollateralUsage("case-study", ann, "deal-1") { Helpful = true, Rating = 5 });
        library.RecordUsage(new CollateralUsage("case-study", bob, "deal-1") { Helpful = false, Rating = 2 });
        library.RecordUsage(new CollateralUsage("case-study", ann, "deal-2") { Rating = 4, Outcome = DealOutcome.Lost });
        library.RecordUsage(new CollateralUsage("case-study", bob, "deal-3") { Helpful = true });
        library.RecordDealOutcome("deal-1", DealOutcome.Won);

        var e = library.GetEffectiveness("case-study");
        Assert.Equal(4, e.UsageCount);
        Assert.Equal(3, e.Deals);
        Assert.Equal(1, e.DealsWon);
        Assert.Equal(1, e.DealsLost);
        Assert.Equal(0.5, e.WinRate);                  // deal-3 is still open
        Assert.Equal(11.0 / 3, e.AverageRating!.Value, 12);
        Assert.Equal(2.0 / 3, e.HelpfulRate!.Value, 12);
        Assert.Equal(2.0 / 4, e.Score);                // (1 + 1) / (1 + 1 + 2)
        Assert.Throws<ArgumentException>(() => library.RecordUsage(new CollateralUsage("case-study", ann, "deal-4") { Rating = 6 }));
        Assert.Throws<KeyNotFoundException>(() => library.RecordUsage(new CollateralUsage("nope", ann, "deal-4")));
    }

    [Fact]
    public void GetOffered_RanksBySmoothedWinRateThenRating()
    {
        var library = new CollateralLibrary(new FakeTimeProvider(Start), 12);
        foreach (var id in new[] { "a-unused", "b-winner", "c-loser", "d-rated" })
        {
            library.Add(Draft(id));
            library.Approve(id, SalesLead);
        }

        var rep = new RepId("r");
        library.RecordUsage(new CollateralUsage("b-winner", rep, "d1") { Outcome = DealOutcome.Won });
        library.RecordUsage(new CollateralUsage("b-winner", rep, "d2") { Outcome = DealOutcome.Won });
        library.RecordUsage(new CollateralUsage("c-loser", rep, "d3") { Outcome = DealOutcome.Lost });
        library.RecordUsage(new CollateralUsage("d-rated", rep, "d4") { Rating = 4 });

        var offered = library.GetOffered(Segment);
        Assert.Equal(["b-winner", "d-rated", "a-unused", "c-loser"], offered.Select(o => o.Item.Id));
        Assert.Equal([1, 2, 3, 4], offered.Select(o => o.Rank));
        Assert.Equal(0.75, offered[0].Effectiveness.Score);
    }
}
