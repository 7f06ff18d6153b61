using Alignment.Handoff;
using Alignment.Segmentation.Collateral;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Segmentation.Tests.Collateral;

/// <summary>The content loop: suggest → draft → approve / send back → revise → expire / retire, and the lists for revision or retirement.</summary>
public sealed class ContentLoopTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly SegmentId Segment = new("enterprise-software");
    private static readonly Reviewer Sales = new("sam", ReviewerRole.Sales);
    private static readonly Reviewer Marketing = new("mia", ReviewerRole.Marketing);

    private static CollateralDraft Draft(string id, string title = "Battle card") => new(id, title, "mia", [Segment]);

    private static ContentSuggestion Idea(string id, string? deal = "deal-7", string? item = null) =>
        new(id, new RepId("rep-1"), "A battle card against Globex", Start) { DealId = deal, ItemId = item };

    [Fact]
    public void The_whole_loop_suggest_draft_send_back_revise_approve_expire_re_review_retire_leaves_its_history()
    {
        var time = new FakeTimeProvider(Start);
        var library = new CollateralLibrary(time, 12);

        var suggestion = library.Suggest(Idea("s-1") with { Status = ContentSuggestionStatus.Drafted });
        Assert.Equal(ContentSuggestionStatus.Open, suggestion.Status);

        time.Advance(TimeSpan.FromDays(2));
        var draft = library.DraftFromSuggestion("s-1", Draft("battle-globex"));
        Assert.Equal(CollateralStatus.PendingApproval, draft.Status);
        Assert.Equal((ContentSuggestionStatus.Drafted, "battle-globex"), (library.Suggestions[0].Status, library.Suggestions[0].ItemId));

        var sentBack = library.Reject("battle-globex", Sales, "Pricing slide is wrong");
        Assert.Equal((CollateralStatus.Rejected, "Pricing slide is wrong"), (sentBack.Status, sentBack.RejectionReason));
        Assert.Throws<InvalidOperationException>(() => library.Approve("battle-globex", Sales));

        time.Advance(TimeSpan.FromDays(1));
        var revised = library.Revise(Draft("battle-globex", "Battle card v2"));
        Assert.Equal((2, CollateralStatus.PendingApproval), (revised.Revision, revised.Status));
        var approved = library.Approve("battle-globex", Sales);
        Assert.True(approved.IsOffered(time.GetUtcNow()));

        time.Advance(TimeSpan.FromDays(366));
        Assert.Equal(["battle-globex"], library.GetDueForRevision().Select(i => i.Id));
        Assert.Empty(library.GetOffered(Segment));
        library.MarkReviewed("battle-globex", "mia");
        Assert.Empty(library.GetDueForRevision());
        Assert.Single(library.GetOffered(Segment));

        var retired = library.Retire("battle-globex", "mia", "Globex left the market");
        Assert.Equal(CollateralStatus.Retired, retired.Status);
        Assert.Same(retired, library.Retire("battle-globex"));
        Assert.Equal(
            [CollateralEventKind.Created, CollateralEventKind.SentBack, CollateralEventKind.Revised, CollateralEventKind.Approved, CollateralEventKind.Reviewed, CollateralEventKind.Retired],
            retired.History.Select(h => h.Kind));
        Assert.Equal(("sam", "Pricing slide is wrong"), (retired.History[1].By, retired.History[1].Reason));
        Assert.Equal("Globex left the market", retired.History[^1].Reason);
    }

    [Fact]
    public void Only_a_sales_reviewer_approves_or_sends_back_and_a_reason_is_required()
    {
        var library = new CollateralLibrary(new FakeTimeProvider(Start), 12);
        library.Add(Draft("x"));

        Assert.Throws<ArgumentException>(() => library.Approve("x", Marketing));
        Assert.Throws<ArgumentException>(() => library.Reject("x", Marketing, "no"));
        Assert.Throws<ArgumentException>(() => library.Reject("x", Sales, " "));
        Assert.Equal(CollateralStatus.PendingApproval, library.Items[0].Status);
        Assert.Single(library.Items[0].History);
    }

    [Fact]
    public void A_suggestion_names_its_deal_or_segment_and_a_known_item_and_is_drafted_once()
    {
        var library = new CollateralLibrary(new FakeTimeProvider(Start), 12);

        Assert.Throws<ArgumentException>(() => library.Suggest(Idea("s-1", deal: null)));
        Assert.Throws<KeyNotFoundException>(() => library.Suggest(Idea("s-1", item: "nope")));
        library.Suggest(Idea("s-1", deal: null) with { Segment = Segment });
        Assert.Throws<InvalidOperationException>(() => library.Suggest(Idea("s-1")));

        Assert.Throws<KeyNotFoundException>(() => library.DraftFromSuggestion("unknown", Draft("y")));
        Assert.Empty(library.Items);
        library.DraftFromSuggestion("s-1", Draft("y"));
        Assert.Throws<InvalidOperationException>(() => library.DraftFromSuggestion("s-1", Draft("z")));
        Assert.Equal(["y"], library.Items.Select(i => i.Id));
    }

    [Fact]
    public void A_suggested_change_revises_the_item_it_names_and_no_other()
    {
        var library = new CollateralLibrary(new FakeTimeProvider(Start), 12);
        library.Add(Draft("deck"));
        library.Approve("deck", Sales);
        library.Suggest(Idea("s-1", item: "deck"));

        Assert.Throws<ArgumentException>(() => library.DraftFromSuggestion("s-1", Draft("other")));
        var revised = library.DraftFromSuggestion("s-1", Draft("deck", "Deck with 2026 numbers"));

        Assert.Equal((2, CollateralStatus.PendingApproval, "Deck with 2026 numbers"), (revised.Revision, revised.Status, revised.Title));
    }

    [Fact]
    public void Items_below_the_effectiveness_threshold_or_unused_for_the_period_are_listed()
    {
        var time = new FakeTimeProvider(Start);
        var library = new CollateralLibrary(time, 12);
        foreach (var id in new[] { "weak", "strong", "fresh", "idle", "retired" })
        {
            library.Add(Draft(id));
            library.Approve(id, Sales);
        }

        time.Advance(TimeSpan.FromDays(100));
        var now = time.GetUtcNow();
        // weak: 0 won, 3 lost → score 1/5 = 0.2; strong: 3 won → 0.8; retired would be weak but is retired.
        for (int d = 0; d < 3; d++)
        {
            library.RecordUsage(new CollateralUsage("weak", new RepId("r"), $"w{d}") { Outcome = DealOutcome.Lost, UsedAt = now.AddDays(-5) });
            library.RecordUsage(new CollateralUsage("strong", new RepId("r"), $"s{d}") { Outcome = DealOutcome.Won, UsedAt = now.AddDays(-1) });
            library.RecordUsage(new CollateralUsage("retired", new RepId("r"), $"x{d}") { Outcome = DealOutcome.Lost, UsedAt = now.AddDays(-1) });
        }

        library.RecordUsage(new CollateralUsage("idle", new RepId("r"), "i0") { UsedAt = now.AddDays(-80) });
        library.RecordUsage(new CollateralUsage("fresh", new RepId("r"), "f0") { UsedAt = now.AddDays(-10) });
        library.Retire("retired");

        var weak = library.GetUnderperforming(minimumScore: 0.4, minimumClosedDeals: 3);
        Assert.Equal(["weak"], weak.Select(e => e.ItemId));
        Assert.Equal(0.2, weak[0].Score, 10);
        Assert.Empty(library.GetUnderperforming(0.4, minimumClosedDeals: 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => library.GetUnderperforming(1.5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => library.GetUnderperforming(0.5, 0));

        Assert.Equal(["idle"], library.GetUnused(TimeSpan.FromDays(60)).Select(i => i.Id));
        Assert.Equal(["idle", "fresh"], library.GetUnused(TimeSpan.FromDays(9)).Select(i => i.Id));
        Assert.Throws<ArgumentOutOfRangeException>(() => library.GetUnused(TimeSpan.Zero));
    }
}
