using System.Collections.Immutable;

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
}
