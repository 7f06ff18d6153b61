using System.Collections.Immutable;
using System.Globalization;
using Alignment.Handoff;
using Alignment.Segmentation;
using Alignment.Segmentation.Collateral;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Conformance.Content;

/// <summary>
/// The <see cref="IContentStore"/> contract, written once: a library saved and reloaded equals the original in items, states, dates
/// (with their offsets), approvals, history, usage and effectiveness; saving again replaces an item and its history; suggestions and
/// deal outcomes round-trip; tenants are apart; invalid input and cancelled calls are refused; two stores on one backend (two hosts)
/// see each other's writes.
/// </summary>
public abstract class ContentStoreConformance
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 9, 30, 0, TimeSpan.FromHours(2));
    private static readonly SegmentId Smb = new("smb");
    private static readonly SegmentId Enterprise = new("enterprise");
    private static readonly Reviewer Sam = new("sam", ReviewerRole.Sales);

    /// <summary>Makes two stores on one new, empty backend (for an in-memory store, the same instance twice).</summary>
    protected abstract Task<(IContentStore First, IContentStore Second)> CreateStoresAsync();

    private static CollateralDraft Draft(string id, string title, params SegmentId[] segments) =>
        new(id, title, "mia", [.. segments]) { Kind = "one-pager", Location = new Uri($"https://cdn.example.com/{id}.pdf") };

    /// <summary>A library that went through every kind of change, on a clock that moved between them.</summary>
    private static (CollateralLibrary Library, FakeTimeProvider Time) BuildLibrary()
    {
        var time = new FakeTimeProvider(T0.AddTicks(1_234));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        var library = new CollateralLibrary(time, 12);
        library.Add(Draft("case-acme", "Acme case study", Smb, Enterprise));
        library.Add(Draft("deck-roi", "ROI deck", Enterprise) with { Kind = null, Location = null });
        library.Add(Draft("old-pricing", "Pricing 2025", Smb));
        time.Advance(TimeSpan.FromDays(3).Add(TimeSpan.FromTicks(7)));
        library.Approve("case-acme", Sam);
        library.Reject("deck-roi", Sam, "Numbers are from 2024");
        library.Approve("old-pricing", Sam);
        time.Advance(TimeSpan.FromDays(10));
        library.Revise(Draft("deck-roi", "ROI deck (2026 numbers)", Enterprise));
        time.Advance(TimeSpan.FromDays(1));
        library.Approve("deck-roi", new Reviewer("lee", ReviewerRole.Sales));
        library.RecordUsage(new CollateralUsage("case-acme", new RepId("rep-1"), "deal-1") { Helpful = true, Rating = 5, UsedAt = T0.AddDays(20).ToOffset(TimeSpan.FromHours(-5)) });
        library.RecordUsage(new CollateralUsage("case-acme", new RepId("rep-2"), "deal-2") { Helpful = false, Rating = 2, Outcome = DealOutcome.Lost });
        library.RecordUsage(new CollateralUsage("deck-roi", new RepId("rep-1"), "deal-1") { Rating = 4 });
        library.RecordUsage(new CollateralUsage("old-pricing", new RepId("rep-3"), "deal-3"));
        library.RecordDealOutcome("deal-1", DealOutcome.Won);
        time.Advance(TimeSpan.FromDays(30));
        library.MarkReviewed("case-acme", "mia");
        library.Retire("old-pricing", "mia", "Replaced by the 2026 price list");
        return (library, time);
    }

    private static string Describe(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture) ?? "-";

    private static string Describe(CollateralItem i) =>
        $"{i.Id}|{i.Title}|{i.Owner}|{i.Kind}|{i.Location}|{string.Join(",", i.Segments)}|r{i.Revision}|{Describe(i.CreatedAt)}|{Describe(i.LastReviewedAt)}|" +
        $"{Describe(i.ExpiresAt)}|{i.Status}|{i.ReviewedBy}|{Describe(i.ApprovedAt)}|{i.RejectionReason}|" +
        string.Join(";", i.History.Select(h => $"{h.Kind}/{h.Revision}/{Describe(h.At)}/{h.By}/{h.Reason}"));

    private static string Describe(CollateralUsage u) =>
        $"{u.ItemId}|{u.Rep}|{u.DealId}|{u.Helpful}|{u.Rating}|{u.Outcome}|{Describe(u.UsedAt)}";

    private static void AssertSame(ContentSnapshot expected, ContentSnapshot actual)
    {
        Assert.Equal(expected.Items.Select(Describe), actual.Items.Select(Describe));
        Assert.Equal(expected.Usages.Select(Describe), actual.Usages.Select(Describe));
        Assert.Equal(expected.Deals.Select(d => (d.Key, d.Value)), actual.Deals.Select(d => (d.Key, d.Value)));
        Assert.Equal(expected.Suggestions.Select(s => s.ToString() + Describe(s.SuggestedAt)), actual.Suggestions.Select(s => s.ToString() + Describe(s.SuggestedAt)));
    }

    [Fact]
    public async Task A_library_saved_and_reloaded_equals_the_original_in_items_states_dates_approvals_usage_and_effectiveness()
    {
        var (first, second) = await CreateStoresAsync();
        var (library, time) = BuildLibrary();
        await library.FlushAsync(first, "eu");

        var reloaded = await CollateralLibrary.LoadAsync(second, "eu", time, 12);

        AssertSame(library.ToSnapshot(), reloaded.ToSnapshot());
        Assert.Equal(library.GetEffectivenessReport().AsEnumerable(), reloaded.GetEffectivenessReport().AsEnumerable());
        Assert.Equal(library.GetOffered(Enterprise).Select(r => (r.Rank, r.Item.Id, r.Effectiveness)), reloaded.GetOffered(Enterprise).Select(r => (r.Rank, r.Item.Id, r.Effectiveness)));
        Assert.Equal(["deck-roi", "case-acme"], reloaded.GetOffered(Enterprise).Select(r => r.Item.Id));
        var acme = reloaded.GetEffectiveness("case-acme");
        Assert.Equal((2, 2, 1, 1, 3.5, 0.5), (acme.UsageCount, acme.Deals, acme.DealsWon, acme.DealsLost, acme.AverageRating!.Value, acme.HelpfulRate!.Value));
        Assert.True(reloaded.TryGet("deck-roi", out var deck));
        Assert.Equal((2, CollateralStatus.Approved, "lee"), (deck.Revision, deck.Status, deck.ReviewedBy));
        Assert.Equal([CollateralEventKind.Created, CollateralEventKind.SentBack, CollateralEventKind.Revised, CollateralEventKind.Approved], deck.History.Select(h => h.Kind));
        Assert.Equal("Numbers are from 2024", deck.History[1].Reason);
        Assert.True(reloaded.TryGet("case-acme", out var acmeItem));
        Assert.Equal(T0.AddTicks(1_234), acmeItem.CreatedAt);
        Assert.Equal(T0.AddTicks(1_234).AddDays(44).AddTicks(7), acmeItem.LastReviewedAt);

        // A year on, the expiry counts from the stored dates, not from the reload.
        time.Advance(TimeSpan.FromDays(340));
        Assert.Equal(library.GetDueForRevision().Select(Describe), reloaded.GetDueForRevision().Select(Describe));
        Assert.Equal(["deck-roi"], reloaded.GetDueForRevision().Select(i => i.Id));
    }

    [Fact]
    public async Task Later_changes_flushed_again_reach_the_store_and_nothing_is_written_twice()
    {
        var (first, second) = await CreateStoresAsync();
        var (library, time) = BuildLibrary();
        await library.FlushAsync(first, "eu");
        time.Advance(TimeSpan.FromHours(1));
        library.Revise(Draft("case-acme", "Acme case study v2", Smb));
        library.RecordUsage(new CollateralUsage("deck-roi", new RepId("rep-4"), "deal-4") { Outcome = DealOutcome.Won });
        await library.FlushAsync(first, "eu");
        await library.FlushAsync(first, "eu");

        var stored = await second.ReadAsync("eu");

        AssertSame(library.ToSnapshot(), stored);
        Assert.Equal(5, stored.Usages.Length);
    }

    [Fact]
    public async Task Saving_an_item_again_replaces_it_and_its_history()
    {
        var (store, _) = await CreateStoresAsync();
        var (library, time) = BuildLibrary();
        Assert.True(library.TryGet("deck-roi", out var deck));
        await store.SaveItemAsync("eu", deck);
        var shorter = deck with { Title = "Renamed", History = [deck.History[0]], Status = CollateralStatus.Retired, ApprovedAt = null };
        await store.SaveItemAsync("eu", shorter);

        var read = await store.ReadAsync("eu");

        Assert.Equal([Describe(shorter)], read.Items.Select(Describe));
        _ = time;
    }

    [Fact]
    public async Task Suggestions_and_deal_outcomes_round_trip_and_are_replaced()
    {
        var (first, second) = await CreateStoresAsync();
        var s = new ContentSuggestion("s-2", new RepId("rep-1"), "A battle card against Globex", T0.AddTicks(3).ToOffset(TimeSpan.FromHours(9))) { DealId = "deal-9", Segment = Enterprise };
        await first.SaveSuggestionAsync("eu", s);
        await first.SaveSuggestionAsync("eu", new ContentSuggestion("s-1", new RepId("rep-2"), "Shorter pricing page", T0));
        await first.SaveSuggestionAsync("eu", s with { Status = ContentSuggestionStatus.Drafted, ItemId = "battle-globex" });
        await first.SetDealOutcomeAsync("eu", "deal-9", DealOutcome.Won);
        await first.SetDealOutcomeAsync("eu", "deal-9", DealOutcome.Lost);
        await first.SetDealOutcomeAsync("eu", "Deal-1", DealOutcome.Open);

        var read = await second.ReadAsync("eu");

        Assert.Equal(["s-1", "s-2"], read.Suggestions.Select(x => x.Id));
        var drafted = read.Suggestions[1];
        Assert.Equal((ContentSuggestionStatus.Drafted, "battle-globex", "deal-9", (SegmentId?)Enterprise, "A battle card against Globex"), (drafted.Status, drafted.ItemId, drafted.DealId, drafted.Segment, drafted.Text));
        Assert.Equal(Describe(s.SuggestedAt), Describe(drafted.SuggestedAt));
        Assert.Equal([("Deal-1", DealOutcome.Open), ("deal-9", DealOutcome.Lost)], read.Deals.Select(d => (d.Key, d.Value)));
    }

    [Fact]
    public async Task Tenants_are_apart_and_an_unknown_tenant_reads_empty()
    {
        var (store, _) = await CreateStoresAsync();
        var (library, _) = BuildLibrary();
        await library.FlushAsync(store, "eu");

        var us = await store.ReadAsync("us");

        Assert.Empty(us.Items);
        Assert.Empty(us.Usages);
        Assert.Empty(us.Deals);
        Assert.Empty(us.Suggestions);
        Assert.Equal(3, (await store.ReadAsync("eu")).Items.Length);
    }

    [Fact]
    public async Task Invalid_input_is_refused_and_nothing_is_written()
    {
        var (store, _) = await CreateStoresAsync();
        var (library, _) = BuildLibrary();
        var item = library.Items[0];

        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SaveItemAsync(" ", item).AsTask());
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SaveItemAsync("eu", item with { Segments = [] }).AsTask());
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SaveItemAsync("eu", item with { Revision = 0 }).AsTask());
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.AddUsagesAsync("eu", [new CollateralUsage("a", new RepId("r"), "d"), new CollateralUsage("a", new RepId("r"), "d") { Rating = 6 }]).AsTask());
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SetDealOutcomeAsync("eu", "", DealOutcome.Won).AsTask());
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.SaveSuggestionAsync("eu", new ContentSuggestion("s", new RepId("r"), " ", T0)).AsTask());
        await Assert.ThrowsAnyAsync<ArgumentException>(() => store.ReadAsync("").AsTask());

        var read = await store.ReadAsync("eu");
        Assert.Empty(read.Items);
        Assert.Empty(read.Usages);
    }

    [Fact]
    public async Task A_cancelled_call_is_refused()
    {
        var (store, _) = await CreateStoresAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.ReadAsync("eu", cts.Token).AsTask());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SetDealOutcomeAsync("eu", "d", DealOutcome.Won, cts.Token).AsTask());
    }

    [Fact]
    public async Task A_library_rebuilt_from_a_snapshot_refuses_an_item_twice()
    {
        var (library, time) = BuildLibrary();
        var snapshot = library.ToSnapshot();
        var twice = snapshot with { Items = snapshot.Items.Add(snapshot.Items[0]) };

        Assert.Throws<ArgumentException>(() => new CollateralLibrary(time, 12, twice));
        Assert.Empty(new CollateralLibrary(time, 12, ContentSnapshot.Empty with { Items = default }).Items);
        await Task.CompletedTask;
    }
}
