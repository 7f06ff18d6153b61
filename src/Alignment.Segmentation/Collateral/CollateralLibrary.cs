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
public sealed partial class CollateralLibrary
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
    private readonly List<ContentChange> _changes = [];

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
            NoteHistory(item, 0);
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
            // Best score first, then best average rating, most used, and id (ids are unique, so the order is total). Without LINQ:
            // this runs for every lead a playbook advises.
            List<(CollateralItem Item, CollateralEffectiveness Effect)>? ranked = null;
            foreach (var item in _items.Values)
            {
                if (item.IsOffered(now) && item.Segments.Contains(segment))
                {
                    (ranked ??= []).Add((item, Effectiveness(item.Id)));
                }
            }

            if (ranked is null)
            {
                return [];
            }

            ranked.Sort(static (x, y) =>
            {
                int c = y.Effect.Score.CompareTo(x.Effect.Score);
                if (c == 0)
                {
                    c = (y.Effect.AverageRating ?? 0).CompareTo(x.Effect.AverageRating ?? 0);
                }

                if (c == 0)
                {
                    c = y.Effect.UsageCount.CompareTo(x.Effect.UsageCount);
                }

                return c != 0 ? c : StringComparer.Ordinal.Compare(x.Item.Id, y.Item.Id);
            });
            var offered = ImmutableArray.CreateBuilder<RankedCollateral>(ranked.Count);
            for (int i = 0; i < ranked.Count; i++)
            {
                offered.Add(new RankedCollateral(i + 1, ranked[i].Item, ranked[i].Effect));
            }

            return offered.MoveToImmutable();
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
            if (ReferenceEquals(updated, item))
            {
                return item;
            }

            _items[id] = updated;
            _dirtyItems.Add(id);
            NoteHistory(updated, item.History.Length);
            return updated;
        }
    }

    /// <summary>Notes the item's history entries from <paramref name="from"/> on as changes to publish (under the lock).</summary>
    private void NoteHistory(CollateralItem item, int from)
    {
        for (int i = from; i < item.History.Length; i++)
        {
            _changes.Add(ContentChange.Of(PendingTenant, item.Id, item.History[i]));
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
