using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Segmentation.Collateral;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Segmentation.Tests.Collateral;

/// <summary>Every state change of the content loop is one <see cref="AlignmentDecision.ContentChanged"/> decision, published once.</summary>
public sealed class ContentDecisionTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly SegmentId Segment = new("enterprise-software");
    private static readonly Reviewer Sales = new("sam", ReviewerRole.Sales);

    private static CollateralDraft Draft(string id, string title = "Battle card") => new(id, title, "mia", [Segment]);

    [Fact]
    public async Task Each_transition_of_the_loop_is_published_once_in_order_with_its_tenant_and_a_distinct_key()
    {
        var time = new FakeTimeProvider(Start);
        var library = new CollateralLibrary(time, 12);
        var sink = new Sink();

        library.Suggest(new ContentSuggestion("s-1", new RepId("rep-1"), "A battle card against Globex", Start) { DealId = "deal-7" });
        time.Advance(TimeSpan.FromDays(2));
        library.DraftFromSuggestion("s-1", Draft("battle"));
        library.Reject("battle", Sales, "Pricing slide is wrong");
        time.Advance(TimeSpan.FromDays(1));
        library.Revise(Draft("battle", "Battle card v2"));
        library.Approve("battle", Sales);
        Assert.Equal(6, await library.PublishChangesAsync(sink, "acme"));

        time.Advance(TimeSpan.FromDays(400));
        Assert.Equal(["battle"], library.ExpireDue().Select(i => i.Id));
        Assert.Empty(library.ExpireDue()); // noted once per expiry
        library.MarkReviewed("battle", "mia");
        library.Retire("battle", "mia", "Globex left the market");
        library.Retire("battle"); // already retired: no change, no decision
        Assert.Equal(3, library.PendingChangeCount);
        Assert.Equal(3, await library.PublishChangesAsync(sink, "acme"));
        Assert.Equal(0, await library.PublishChangesAsync(sink, "acme"));

        var changes = sink.Decisions.Cast<AlignmentDecision.ContentChanged>().Select(d => d.Change).ToList();
        Assert.Equal(
            [ContentChangeKind.Suggested, ContentChangeKind.Created, ContentChangeKind.Drafted, ContentChangeKind.SentBack, ContentChangeKind.Revised,
             ContentChangeKind.Approved, ContentChangeKind.Expired, ContentChangeKind.Reviewed, ContentChangeKind.Retired],
            changes.Select(c => c.Kind));
        Assert.All(changes, c => Assert.Equal("acme", c.Tenant));
        Assert.All(sink.Decisions, d => Assert.Null(d.LeadId));
        Assert.Equal(changes.Count, changes.Select(c => c.Key).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(("s-1", (string?)null, "rep-1"), (changes[0].SuggestionId, changes[0].ItemId, changes[0].By));
        Assert.Equal(("s-1", "battle", 1), (changes[2].SuggestionId, changes[2].ItemId, changes[2].Revision));
        Assert.Equal(("sam", "Pricing slide is wrong"), (changes[3].By, changes[3].Reason));
        Assert.Equal((2, "sam"), (changes[5].Revision, changes[5].By));
        var approved = library.Items[0].History.Single(h => h.Kind == CollateralEventKind.Approved);
        Assert.Equal(approved.At.AddMonths(12), changes[6].At); // expired at the expiry instant, twelve months after its last review
        Assert.Equal("Globex left the market", changes[8].Reason);
        Assert.Equal(DecisionKeys.For(sink.Decisions[8]), changes[8].Key);
        Assert.StartsWith("content-retired:acme/battle:2:", changes[8].Key, StringComparison.Ordinal);
        Assert.Equal("content-suggested:acme/suggestion/s-1", changes[0].Key);
    }

    [Fact]
    public async Task A_failing_sink_keeps_the_changes_it_did_not_take_for_the_next_call()
    {
        var library = new CollateralLibrary(new FakeTimeProvider(Start), 12);
        library.Add(Draft("a"));
        library.Approve("a", Sales);
        library.Retire("a", "mia");
        var sink = new Sink { FailAfter = 1 };

        await Assert.ThrowsAsync<IOException>(() => library.PublishChangesAsync(sink, "acme"));
        Assert.Equal(2, library.PendingChangeCount);
        sink.FailAfter = int.MaxValue;
        Assert.Equal(2, await library.PublishChangesAsync(sink, "acme"));
        Assert.Equal(
            [ContentChangeKind.Created, ContentChangeKind.Approved, ContentChangeKind.Retired],
            sink.Decisions.Cast<AlignmentDecision.ContentChanged>().Select(d => d.Change.Kind));
    }

    [Fact]
    public async Task Flushing_to_a_store_that_records_decisions_leaves_nothing_to_publish_and_a_plain_store_leaves_all()
    {
        var plain = new CollateralLibrary(new FakeTimeProvider(Start), 12);
        plain.Add(Draft("a"));
        await plain.FlushAsync(new InMemoryContentStore(), "acme");
        Assert.Equal(1, plain.PendingChangeCount);

        var recorded = new CollateralLibrary(new FakeTimeProvider(Start), 12);
        recorded.Add(Draft("a"));
        recorded.Approve("a", Sales);
        await recorded.FlushAsync(new RecordingStore(), "acme");
        Assert.Equal(0, recorded.PendingChangeCount);
    }

    [Fact]
    public void A_re_reviewed_item_expires_again_at_its_new_expiry_and_a_retired_one_never()
    {
        var time = new FakeTimeProvider(Start);
        var library = new CollateralLibrary(time, 1);
        library.Add(Draft("a"));
        library.Add(Draft("b"));
        library.Retire("b");
        time.Advance(TimeSpan.FromDays(40));
        Assert.Equal(["a"], library.ExpireDue().Select(i => i.Id));
        library.MarkReviewed("a");
        Assert.Empty(library.ExpireDue());
        time.Advance(TimeSpan.FromDays(40));
        var again = Assert.Single(library.ExpireDue());
        Assert.Equal(2, again.History.Count(h => h.Kind == CollateralEventKind.Expired));
    }

    private sealed class Sink : IDecisionSink
    {
        public List<AlignmentDecision> Decisions { get; } = [];

        public int FailAfter { get; set; } = int.MaxValue;

        public ValueTask PublishAsync(AlignmentDecision decision, CancellationToken cancellationToken = default)
        {
            if (Decisions.Count >= FailAfter)
            {
                throw new IOException("the sink is down");
            }

            Decisions.Add(decision);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class RecordingStore : IContentStore
    {
        private readonly InMemoryContentStore _inner = new();

        public bool RecordsDecisions => true;

        public ValueTask SaveItemAsync(string tenant, CollateralItem item, CancellationToken cancellationToken = default) => _inner.SaveItemAsync(tenant, item, cancellationToken);

        public ValueTask AddUsagesAsync(string tenant, IReadOnlyList<CollateralUsage> usages, CancellationToken cancellationToken = default) => _inner.AddUsagesAsync(tenant, usages, cancellationToken);

        public ValueTask SetDealOutcomeAsync(string tenant, string dealId, DealOutcome outcome, CancellationToken cancellationToken = default) => _inner.SetDealOutcomeAsync(tenant, dealId, outcome, cancellationToken);

        public ValueTask SaveSuggestionAsync(string tenant, ContentSuggestion suggestion, CancellationToken cancellationToken = default) => _inner.SaveSuggestionAsync(tenant, suggestion, cancellationToken);

        public ValueTask<ContentSnapshot> ReadAsync(string tenant, CancellationToken cancellationToken = default) => _inner.ReadAsync(tenant, cancellationToken);
    }
}
