using System.Collections.Immutable;

namespace Alignment.Segmentation.Collateral;

/// <summary>
/// The governed store of collateral: new and revised items wait for a sales reviewer's approval, items expire (by default 12 months
/// after their last review) and are then never offered but listed for revision, and reps' usage feeds effectiveness figures.
/// </summary>
/// <remarks>
/// Thread-safe (one lock). In memory; for durability, rebuild it from an <see cref="IContentStore"/> (<see cref="LoadAsync"/>) and
/// write its changes back with <see cref="FlushAsync"/>: the items keep their real dates, status, approvals and history, and the
/// usages and deal outcomes give the same effectiveness.
/// </remarks>
public sealed class CollateralLibrary
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly int _expiryMonths;
    private readonly Dictionary<string, CollateralItem> _items = new(StringComparer.Ordinal);
    private readonly List<CollateralUsage> _usages = [];
    private readonly Dictionary<string, DealOutcome> _deals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ContentSuggestion> _suggestions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirtyItems = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirtyDeals = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirtySuggestions = new(StringComparer.Ordinal);
    private readonly List<CollateralUsage> _newUsages = [];

    /// <summary>Creates an empty library.</summary>
    /// <param name="timeProvider">The clock for created, reviewed and expiry dates.</param>
    /// <param name="expiryMonths">How many months after its last review an item expires; at least 1 (12 by convention).</param>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expiryMonths"/> is less than 1.</exception>
    public CollateralLibrary(TimeProvider timeProvider, int expiryMonths)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(expiryMonths, 1);
        _time = timeProvider;
        _expiryMonths = expiryMonths;
    }

    /// <summary>Creates a library holding what a store kept: the items as they were (dates, status, approvals, history), the usages, the deal outcomes and the suggestions. Nothing of it is waiting to be flushed.</summary>
    /// <param name="timeProvider">The clock for later changes.</param>
    /// <param name="expiryMonths">How many months after its last review an item expires; at least 1.</param>
    /// <param name="snapshot">What the store kept (<see cref="IContentStore.ReadAsync"/>).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expiryMonths"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">An item, usage or suggestion is invalid, or an item id repeats.</exception>
    public CollateralLibrary(TimeProvider timeProvider, int expiryMonths, ContentSnapshot snapshot)
        : this(timeProvider, expiryMonths)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var item in OrEmpty(snapshot.Items))
        {
            ContentStoreRules.Validate(item, nameof(snapshot));
            if (!_items.TryAdd(item.Id, item))
            {
                throw new ArgumentException($"Collateral item '{item.Id}' appears twice.", nameof(snapshot));
            }
        }

        foreach (var usage in OrEmpty(snapshot.Usages))
        {
            ContentStoreRules.Validate(usage, nameof(snapshot));
            _usages.Add(usage);
        }

        foreach (var (deal, outcome) in OrEmpty(snapshot.Deals))
        {
            _deals[deal] = outcome;
        }

        foreach (var suggestion in OrEmpty(snapshot.Suggestions))
        {
            ContentStoreRules.Validate(suggestion, nameof(snapshot));
            _suggestions[suggestion.Id] = suggestion;
        }
    }

    /// <summary>Rebuilds a tenant's library from a store.</summary>
    /// <param name="store">The store.</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="timeProvider">The clock for later changes.</param>
    /// <param name="expiryMonths">How many months after its last review an item expires; at least 1.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The library.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    public static async Task<CollateralLibrary> LoadAsync(IContentStore store, string tenant, TimeProvider timeProvider, int expiryMonths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        var snapshot = await store.ReadAsync(tenant, cancellationToken).ConfigureAwait(false);
        return new CollateralLibrary(timeProvider, expiryMonths, snapshot);
    }

    /// <summary>Writes every change since the library was created or last flushed to a store: changed items and suggestions, new usages, deal outcomes.</summary>
    /// <param name="store">The store.</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>A task that completes when the changes are stored. When a write fails, the changes not yet written are kept for the next flush.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    public async Task FlushAsync(IContentStore store, string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        List<CollateralItem> items;
        List<CollateralUsage> usages;
        List<KeyValuePair<string, DealOutcome>> deals;
        List<ContentSuggestion> suggestions;
        lock (_gate)
        {
            items = [.. _dirtyItems.Order(StringComparer.Ordinal).Select(id => _items[id])];
            usages = [.. _newUsages];
            deals = [.. _dirtyDeals.Order(StringComparer.Ordinal).Select(d => new KeyValuePair<string, DealOutcome>(d, _deals[d]))];
            suggestions = [.. _dirtySuggestions.Order(StringComparer.Ordinal).Select(id => _suggestions[id])];
            _dirtyItems.Clear();
            _newUsages.Clear();
            _dirtyDeals.Clear();
            _dirtySuggestions.Clear();
        }

        int i = 0, d = 0, s = 0;
        bool usagesWritten = false;
        try
        {
            for (; i < items.Count; i++)
            {
                await store.SaveItemAsync(tenant, items[i], cancellationToken).ConfigureAwait(false);
            }

            if (usages.Count > 0)
            {
                await store.AddUsagesAsync(tenant, usages, cancellationToken).ConfigureAwait(false);
            }

            usagesWritten = true;
            for (; d < deals.Count; d++)
            {
                await store.SetDealOutcomeAsync(tenant, deals[d].Key, deals[d].Value, cancellationToken).ConfigureAwait(false);
            }

            for (; s < suggestions.Count; s++)
            {
                await store.SaveSuggestionAsync(tenant, suggestions[s], cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            lock (_gate)
            {
                _dirtyItems.UnionWith(items.Skip(i).Select(x => x.Id));
                if (!usagesWritten)
                {
                    _newUsages.InsertRange(0, usages);
                }

                _dirtyDeals.UnionWith(deals.Skip(d).Select(x => x.Key));
                _dirtySuggestions.UnionWith(suggestions.Skip(s).Select(x => x.Id));
            }

            throw;
        }
    }

    /// <summary>Everything the library holds, as a store would keep it (items and suggestions in id order, usages in the order recorded).</summary>
    /// <returns>The snapshot.</returns>
    public ContentSnapshot ToSnapshot()
    {
        lock (_gate)
        {
            return new ContentSnapshot(
                [.. _items.Values.OrderBy(i => i.Id, StringComparer.Ordinal)],
                [.. _usages],
                [.. _deals.OrderBy(p => p.Key, StringComparer.Ordinal)],
                [.. _suggestions.Values.OrderBy(x => x.Id, StringComparer.Ordinal)]);
        }
    }

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

    /// <summary>Every item, in id order.</summary>
    public ImmutableArray<CollateralItem> Items
    {
        get
        {
            lock (_gate)
            {
                return [.. _items.Values.OrderBy(i => i.Id, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Adds a new item, pending approval; created and last-reviewed now, expiring after the configured months.</summary>
    /// <param name="draft">The item's content.</param>
    /// <returns>The stored item.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="draft"/> is null.</exception>
    /// <exception cref="ArgumentException">The draft has an empty id, title or owner, or no segment.</exception>
    /// <exception cref="InvalidOperationException">An item with the id exists.</exception>
    public CollateralItem Add(CollateralDraft draft)
    {
        Check(draft);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_items.ContainsKey(draft.Id))
            {
                throw new InvalidOperationException($"Collateral item '{draft.Id}' already exists; revise it instead.");
            }

            var item = new CollateralItem
            {
                Id = draft.Id,
                Title = draft.Title,
                Owner = draft.Owner,
                Kind = draft.Kind,
                Location = draft.Location,
                Segments = draft.Segments,
                Revision = 1,
                CreatedAt = now,
                LastReviewedAt = now,
                ExpiresAt = now.AddMonths(_expiryMonths),
                Status = CollateralStatus.PendingApproval,
                History = [new CollateralHistoryEntry(CollateralEventKind.Created, 1, now, draft.Owner)],
            };
            _items[item.Id] = item;
            _dirtyItems.Add(item.Id);
            return item;
        }
    }

    /// <summary>Revises an item: new content, next revision, reviewed now, and back to pending approval (not offered until approved).</summary>
    /// <param name="draft">The new content; its id names the item.</param>
    /// <returns>The revised item.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="draft"/> is null.</exception>
    /// <exception cref="ArgumentException">The draft is incomplete.</exception>
    /// <exception cref="KeyNotFoundException">No item has the id.</exception>
    public CollateralItem Revise(CollateralDraft draft)
    {
        Check(draft);
        var now = _time.GetUtcNow();
        return Update(draft.Id, item => item with
        {
            Title = draft.Title,
            Owner = draft.Owner,
            Kind = draft.Kind,
            Location = draft.Location,
            Segments = draft.Segments,
            Revision = item.Revision + 1,
            LastReviewedAt = now,
            ExpiresAt = now.AddMonths(_expiryMonths),
            Status = CollateralStatus.PendingApproval,
            ReviewedBy = null,
            ApprovedAt = null,
            RejectionReason = null,
            History = item.History.Add(new CollateralHistoryEntry(CollateralEventKind.Revised, item.Revision + 1, now, draft.Owner)),
        });
    }

    /// <summary>Records that marketing reviewed an item and found it still right as it is: last reviewed now, expiry pushed out. The approval is kept.</summary>
    /// <param name="id">The item id.</param>
    /// <param name="by">Who reviewed it, for the history; <see langword="null"/> when not said.</param>
    /// <returns>The item.</returns>
    /// <exception cref="KeyNotFoundException">No item has the id.</exception>
    /// <exception cref="InvalidOperationException">The item is retired.</exception>
    public CollateralItem MarkReviewed(string id, string? by = null)
    {
        var now = _time.GetUtcNow();
        return Update(id, item => item.Status == CollateralStatus.Retired
            ? throw new InvalidOperationException($"Collateral item '{id}' is retired.")
            : item with
            {
                LastReviewedAt = now,
                ExpiresAt = now.AddMonths(_expiryMonths),
                History = item.History.Add(new CollateralHistoryEntry(CollateralEventKind.Reviewed, item.Revision, now, by)),
            });
    }

    /// <summary>Approves the current revision of an item, so that reps are offered it until it expires.</summary>
    /// <param name="id">The item id.</param>
    /// <param name="reviewer">The reviewer; must be from sales.</param>
    /// <returns>The approved item.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reviewer"/> is null.</exception>
    /// <exception cref="ArgumentException">The reviewer is not a sales reviewer.</exception>
    /// <exception cref="KeyNotFoundException">No item has the id.</exception>
    /// <exception cref="InvalidOperationException">The item is not pending approval.</exception>
    public CollateralItem Approve(string id, Reviewer reviewer)
    {
        CheckSales(reviewer);
        var now = _time.GetUtcNow();
        return Update(id, item => item.Status != CollateralStatus.PendingApproval
            ? throw new InvalidOperationException($"Collateral item '{id}' is {item.Status}, not pending approval.")
            : item with
            {
                Status = CollateralStatus.Approved,
                ReviewedBy = reviewer.Name,
                ApprovedAt = now,
                RejectionReason = null,
                History = item.History.Add(new CollateralHistoryEntry(CollateralEventKind.Approved, item.Revision, now, reviewer.Name)),
            });
    }

    /// <summary>Rejects the current revision of an item; it is not offered until revised and approved.</summary>
    /// <param name="id">The item id.</param>
    /// <param name="reviewer">The reviewer; must be from sales.</param>
    /// <param name="reason">Why, for marketing.</param>
    /// <returns>The rejected item.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The reviewer is not from sales, or the reason is empty.</exception>
    /// <exception cref="KeyNotFoundException">No item has the id.</exception>
    /// <exception cref="InvalidOperationException">The item is not pending approval.</exception>
    public CollateralItem Reject(string id, Reviewer reviewer, string reason)
    {
        CheckSales(reviewer);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var now = _time.GetUtcNow();
        return Update(id, item => item.Status != CollateralStatus.PendingApproval
            ? throw new InvalidOperationException($"Collateral item '{id}' is {item.Status}, not pending approval.")
            : item with
            {
                Status = CollateralStatus.Rejected,
                ReviewedBy = reviewer.Name,
                ApprovedAt = null,
                RejectionReason = reason,
                History = item.History.Add(new CollateralHistoryEntry(CollateralEventKind.SentBack, item.Revision, now, reviewer.Name, reason)),
            });
    }

    /// <summary>Retires an item for good.</summary>
    /// <param name="id">The item id.</param>
    /// <param name="by">Who retired it, for the history; <see langword="null"/> when not said.</param>
    /// <param name="reason">Why, for the history; <see langword="null"/> when not said.</param>
    /// <returns>The retired item (an item already retired is returned unchanged).</returns>
    /// <exception cref="KeyNotFoundException">No item has the id.</exception>
    public CollateralItem Retire(string id, string? by = null, string? reason = null)
    {
        var now = _time.GetUtcNow();
        return Update(id, item => item.Status == CollateralStatus.Retired ? item : item with
        {
            Status = CollateralStatus.Retired,
            History = item.History.Add(new CollateralHistoryEntry(CollateralEventKind.Retired, item.Revision, now, by, reason)),
        });
    }

    /// <summary>Finds an item.</summary>
    /// <param name="id">The item id.</param>
    /// <param name="item">The item, when found.</param>
    /// <returns><see langword="true"/> when found.</returns>
    public bool TryGet(string id, out CollateralItem item)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            return _items.TryGetValue(id, out item!);
        }
    }

    /// <summary>Records that a rep used an item in a deal, with feedback. A known outcome also sets the deal's outcome.</summary>
    /// <param name="usage">The usage.</param>
    /// <exception cref="ArgumentNullException"><paramref name="usage"/> is null.</exception>
    /// <exception cref="ArgumentException">The deal id is empty or the rating is not 1 to 5.</exception>
    /// <exception cref="KeyNotFoundException">No item has the id.</exception>
    public void RecordUsage(CollateralUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentException.ThrowIfNullOrWhiteSpace(usage.DealId);
        if (usage.Rating is < 1 or > 5)
        {
            throw new ArgumentException($"The rating must be from 1 to 5 (was {usage.Rating}).", nameof(usage));
        }

        lock (_gate)
        {
            if (!_items.ContainsKey(usage.ItemId))
            {
                throw new KeyNotFoundException($"No collateral item '{usage.ItemId}'.");
            }

            _usages.Add(usage);
            _newUsages.Add(usage);
            if (usage.Outcome != DealOutcome.Open || !_deals.ContainsKey(usage.DealId))
            {
                _deals[usage.DealId] = usage.Outcome;
                _dirtyDeals.Add(usage.DealId);
            }
        }
    }

    /// <summary>Records how a deal ended; every item used in it counts the outcome.</summary>
    /// <param name="dealId">The deal.</param>
    /// <param name="outcome">Its outcome.</param>
    /// <exception cref="ArgumentException"><paramref name="dealId"/> is empty.</exception>
    public void RecordDealOutcome(string dealId, DealOutcome outcome)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dealId);
        lock (_gate)
        {
            _deals[dealId] = outcome;
            _dirtyDeals.Add(dealId);
        }
    }

    /// <summary>The effectiveness figures of one item.</summary>
    /// <param name="id">The item id.</param>
    /// <returns>The figures.</returns>
    /// <exception cref="KeyNotFoundException">No item has the id.</exception>
    public CollateralEffectiveness GetEffectiveness(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            if (!_items.ContainsKey(id))
            {
                throw new KeyNotFoundException($"No collateral item '{id}'.");
            }

            return Effectiveness(id);
        }
    }

    /// <summary>The items a rep may send for a segment, now: approved, not expired, tagged with the segment, ranked by effectiveness.</summary>
    /// <param name="segment">The segment.</param>
    /// <returns>The ranked items (rank 1 first).</returns>
    public ImmutableArray<RankedCollateral> GetOffered(SegmentId segment)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var ranked = _items.Values
                .Where(i => i.IsOffered(now) && i.Segments.Contains(segment))
                .Select(i => (Item: i, Effect: Effectiveness(i.Id)))
                .OrderByDescending(x => x.Effect.Score)
                .ThenByDescending(x => x.Effect.AverageRating ?? 0)
                .ThenByDescending(x => x.Effect.UsageCount)
                .ThenBy(x => x.Item.Id, StringComparer.Ordinal)
                .ToList();
            return [.. ranked.Select((x, i) => new RankedCollateral(i + 1, x.Item, x.Effect))];
        }
    }

    /// <summary>The items marketing must revise or retire: expired now (retired items excluded), the longest-expired first.</summary>
    /// <returns>The items.</returns>
    public ImmutableArray<CollateralItem> GetDueForRevision()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return [.. _items.Values.Where(i => i.Status != CollateralStatus.Retired && i.IsExpired(now)).OrderBy(i => i.ExpiresAt).ThenBy(i => i.Id, StringComparer.Ordinal)];
        }
    }

    /// <summary>The effectiveness of every item, in id order, so marketing can revise, trim or expand.</summary>
    /// <returns>The figures.</returns>
    public ImmutableArray<CollateralEffectiveness> GetEffectivenessReport()
    {
        lock (_gate)
        {
            return [.. _items.Keys.Order(StringComparer.Ordinal).Select(Effectiveness)];
        }
    }

    private CollateralEffectiveness Effectiveness(string id)
    {
        int uses = 0, helpfulAnswers = 0, helpful = 0, ratings = 0, ratingSum = 0;
        var deals = new HashSet<string>(StringComparer.Ordinal);
        foreach (var u in _usages)
        {
            if (u.ItemId != id)
            {
                continue;
            }

            uses++;
            deals.Add(u.DealId);
            if (u.Helpful is bool h)
            {
                helpfulAnswers++;
                helpful += h ? 1 : 0;
            }

            if (u.Rating is int r)
            {
                ratings++;
                ratingSum += r;
            }
        }

        int won = deals.Count(d => _deals.GetValueOrDefault(d) == DealOutcome.Won);
        int lost = deals.Count(d => _deals.GetValueOrDefault(d) == DealOutcome.Lost);
        return new CollateralEffectiveness
        {
            ItemId = id,
            UsageCount = uses,
            Deals = deals.Count,
            DealsWon = won,
            DealsLost = lost,
            AverageRating = ratings == 0 ? null : (double)ratingSum / ratings,
            HelpfulRate = helpfulAnswers == 0 ? null : (double)helpful / helpfulAnswers,
        };
    }

    private CollateralItem Update(string id, Func<CollateralItem, CollateralItem> change)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            if (!_items.TryGetValue(id, out var item))
            {
                throw new KeyNotFoundException($"No collateral item '{id}'.");
            }

            var updated = change(item);
            _items[id] = updated;
            _dirtyItems.Add(id);
            return updated;
        }
    }

    private static ImmutableArray<T> OrEmpty<T>(ImmutableArray<T> values) => values.IsDefault ? [] : values;

    private static void Check(CollateralDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (string.IsNullOrWhiteSpace(draft.Id) || string.IsNullOrWhiteSpace(draft.Title) || string.IsNullOrWhiteSpace(draft.Owner))
        {
            throw new ArgumentException("A collateral item needs an id, a title and an owner.", nameof(draft));
        }

        if (draft.Segments.IsDefaultOrEmpty)
        {
            throw new ArgumentException($"Collateral item '{draft.Id}' must be for at least one segment.", nameof(draft));
        }
    }

    private static void CheckSales(Reviewer reviewer)
    {
        ArgumentNullException.ThrowIfNull(reviewer);
        if (reviewer.Role != ReviewerRole.Sales)
        {
            throw new ArgumentException($"Only a sales reviewer approves or rejects collateral; '{reviewer.Name}' reviews for {reviewer.Role}.", nameof(reviewer));
        }
    }
}
