using System.Collections.Immutable;
using Alignment.Decisions;

namespace Alignment.Segmentation.Collateral;

/// <content>The content loop: reps' suggestions, drafts from them, and the items listed for revision or retirement.</content>
public sealed partial class CollateralLibrary
{
    /// <summary>The reps' suggestions, in id order.</summary>
    public ImmutableArray<ContentSuggestion> Suggestions
    {
        get
        {
            lock (_gate)
            {
                return [.. _suggestions.Values.OrderBy(x => x.Id, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Records a rep's suggestion for new material or a change to an item, with the deal or segment it would have helped; open until marketing drafts it.</summary>
    /// <param name="suggestion">The suggestion; its status is set to <see cref="ContentSuggestionStatus.Open"/>.</param>
    /// <returns>The stored suggestion.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="suggestion"/> is null.</exception>
    /// <exception cref="ArgumentException">The suggestion has no id, rep or text, or names neither a deal nor a segment.</exception>
    /// <exception cref="KeyNotFoundException">It asks to change an item that does not exist.</exception>
    /// <exception cref="InvalidOperationException">A suggestion with the id exists.</exception>
    public ContentSuggestion Suggest(ContentSuggestion suggestion)
    {
        ContentStoreRules.Validate(suggestion, nameof(suggestion));
        if (string.IsNullOrWhiteSpace(suggestion.DealId) && suggestion.Segment is null)
        {
            throw new ArgumentException($"Suggestion '{suggestion.Id}' must name the deal or the segment it would have helped.", nameof(suggestion));
        }

        lock (_gate)
        {
            if (suggestion.ItemId is { } itemId && !_items.ContainsKey(itemId))
            {
                throw new KeyNotFoundException($"Suggestion '{suggestion.Id}' asks to change collateral item '{itemId}', which does not exist.");
            }

            if (_suggestions.ContainsKey(suggestion.Id))
            {
                throw new InvalidOperationException($"Suggestion '{suggestion.Id}' already exists.");
            }

            var stored = suggestion with { Status = ContentSuggestionStatus.Open };
            _suggestions.Add(stored.Id, stored);
            _dirtySuggestions.Add(stored.Id);
            _changes.Add(new ContentChange(PendingTenant, ContentChangeKind.Suggested, stored.SuggestedAt)
            {
                ItemId = stored.ItemId, SuggestionId = stored.Id, By = stored.Rep.Value, Reason = stored.Text,
            });
            return stored;
        }
    }

    /// <summary>
    /// Marketing turns an open suggestion into a draft: a revision of the item it asked to change, or a new item; either way pending a
    /// sales reviewer's approval. The suggestion becomes <see cref="ContentSuggestionStatus.Drafted"/> and names the item.
    /// </summary>
    /// <param name="suggestionId">The suggestion.</param>
    /// <param name="draft">The content; for a change, its id must be the item's.</param>
    /// <returns>The new or revised item.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The draft is incomplete, or its id is not the item the suggestion asked to change.</exception>
    /// <exception cref="KeyNotFoundException">No suggestion has the id.</exception>
    /// <exception cref="InvalidOperationException">The suggestion is not open, or a new item's id is taken.</exception>
    public CollateralItem DraftFromSuggestion(string suggestionId, CollateralDraft draft)
    {
        ArgumentNullException.ThrowIfNull(suggestionId);
        Check(draft);
        lock (_gate)
        {
            if (!_suggestions.TryGetValue(suggestionId, out var suggestion))
            {
                throw new KeyNotFoundException($"No suggestion '{suggestionId}'.");
            }

            if (suggestion.Status != ContentSuggestionStatus.Open)
            {
                throw new InvalidOperationException($"Suggestion '{suggestionId}' is {suggestion.Status}, not open.");
            }

            if (suggestion.ItemId is { } itemId && itemId != draft.Id)
            {
                throw new ArgumentException($"Suggestion '{suggestionId}' asks to change '{itemId}'; the draft is for '{draft.Id}'.", nameof(draft));
            }

            var item = suggestion.ItemId is null ? Add(draft) : Revise(draft);
            _suggestions[suggestionId] = suggestion with { Status = ContentSuggestionStatus.Drafted, ItemId = item.Id };
            _dirtySuggestions.Add(suggestionId);
            _changes.Add(new ContentChange(PendingTenant, ContentChangeKind.Drafted, item.History[^1].At)
            {
                ItemId = item.Id, Revision = item.Revision, SuggestionId = suggestionId, By = draft.Owner,
            });
            return item;
        }
    }

    /// <summary>
    /// The items marketing should revise or retire for how they perform: not retired, with at least <paramref name="minimumClosedDeals"/>
    /// closed deals, and an effectiveness <see cref="CollateralEffectiveness.Score"/> below <paramref name="minimumScore"/>; the weakest first.
    /// </summary>
    /// <param name="minimumScore">The score an item must reach, from 0 to 1.</param>
    /// <param name="minimumClosedDeals">How many won or lost deals an item needs before it is judged; at least 1.</param>
    /// <returns>The items' figures.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The score is not from 0 to 1, or the deals are fewer than 1.</exception>
    public ImmutableArray<CollateralEffectiveness> GetUnderperforming(double minimumScore, int minimumClosedDeals)
    {
        if (double.IsNaN(minimumScore) || minimumScore is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumScore), minimumScore, "The score must be from 0 to 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(minimumClosedDeals, 1);
        lock (_gate)
        {
            return [.. _items.Values
                .Where(i => i.Status != CollateralStatus.Retired)
                .Select(i => Effectiveness(i.Id))
                .Where(e => e.DealsWon + e.DealsLost >= minimumClosedDeals && e.Score < minimumScore)
                .OrderBy(e => e.Score)
                .ThenBy(e => e.ItemId, StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// The items reps have not used for <paramref name="period"/>: approved, created at least that long ago, and with no usage dated
    /// (<see cref="CollateralUsage.UsedAt"/>) within it; the longest unused first. Usages without a date do not count as recent use.
    /// </summary>
    /// <param name="period">How long an item may go unused; positive.</param>
    /// <returns>The items.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="period"/> is not positive.</exception>
    public ImmutableArray<CollateralItem> GetUnused(TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        var since = _time.GetUtcNow() - period;
        lock (_gate)
        {
            var lastUse = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            foreach (var u in _usages)
            {
                if (u.UsedAt is { } at && (!lastUse.TryGetValue(u.ItemId, out var seen) || at > seen))
                {
                    lastUse[u.ItemId] = at;
                }
            }

            return [.. _items.Values
                .Where(i => i.Status == CollateralStatus.Approved && i.CreatedAt <= since && !(lastUse.TryGetValue(i.Id, out var at) && at > since))
                .OrderBy(i => lastUse.TryGetValue(i.Id, out var at) ? at : i.CreatedAt)
                .ThenBy(i => i.Id, StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// Notes the expiry of every item whose expiry (months after its last review) has passed without a new review: an
    /// <see cref="CollateralEventKind.Expired"/> entry at the expiry instant in its history, once per expiry (a review moves the
    /// expiry out; the item expires again later). Retired items are left alone. Call it from a timer, before <see cref="FlushAsync"/>.
    /// </summary>
    /// <returns>The items that expired since the last call, in id order.</returns>
    public ImmutableArray<CollateralItem> ExpireDue()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var expired = ImmutableArray.CreateBuilder<CollateralItem>();
            foreach (var item in _items.Values.OrderBy(i => i.Id, StringComparer.Ordinal).ToList())
            {
                if (item.Status == CollateralStatus.Retired || !item.IsExpired(now)
                    || item.History.Any(h => h.Kind == CollateralEventKind.Expired && h.At == item.ExpiresAt))
                {
                    continue;
                }

                var updated = item with { History = item.History.Add(new CollateralHistoryEntry(CollateralEventKind.Expired, item.Revision, item.ExpiresAt)) };
                _items[item.Id] = updated;
                _dirtyItems.Add(item.Id);
                NoteHistory(updated, item.History.Length);
                expired.Add(updated);
            }

            return expired.ToImmutable();
        }
    }

    /// <summary>How many content changes wait to be published by <see cref="PublishChangesAsync"/>.</summary>
    public int PendingChangeCount
    {
        get
        {
            lock (_gate)
            {
                return _changes.Count;
            }
        }
    }

    /// <summary>
    /// Publishes every state change since the library was created or last published (suggestions, drafts, new and revised items,
    /// approvals, items sent back, re-reviews, expiries, retirements), in the order they happened, as
    /// <see cref="AlignmentDecision.ContentChanged"/> decisions of <paramref name="tenant"/>. Each change is published once: those
    /// published are forgotten, and when the sink fails the rest wait for the next call. A sink can deduplicate on
    /// <see cref="ContentChange.Key"/>. Not needed when the library is flushed to a store that records decisions itself
    /// (<see cref="IContentStore.RecordsDecisions"/>): <see cref="FlushAsync"/> then forgets the changes it wrote.
    /// </summary>
    /// <param name="sink">Where the decisions go.</param>
    /// <param name="tenant">The tenant the content belongs to.</param>
    /// <param name="cancellationToken">Cancels the publishing.</param>
    /// <returns>How many decisions were published.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="sink"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    public async Task<int> PublishChangesAsync(IDecisionSink sink, string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        List<ContentChange> changes;
        lock (_gate)
        {
            changes = [.. _changes];
        }

        int published = 0;
        try
        {
            foreach (var change in changes)
            {
                await sink.PublishAsync(new AlignmentDecision.ContentChanged(change with { Tenant = tenant }), cancellationToken).ConfigureAwait(false);
                published++;
            }
        }
        finally
        {
            lock (_gate)
            {
                _changes.RemoveRange(0, published);
            }
        }

        return published;
    }

    /// <summary>The tenant of a change noted before it is published (the library does not know its tenant).</summary>
    private const string PendingTenant = "-";
}
