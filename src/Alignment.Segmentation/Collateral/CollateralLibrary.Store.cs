using System.Collections.Immutable;

namespace Alignment.Segmentation.Collateral;

/// <content>Rebuilding the library from an <see cref="IContentStore"/> and writing its changes back.</content>
public sealed partial class CollateralLibrary
{
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
    /// <remarks>
    /// Flush from one caller at a time (for example a timer): two flushes running at once could write an item's older state after its
    /// newer one. When the store records decisions (<see cref="IContentStore.RecordsDecisions"/>), the changes it was given are
    /// forgotten once the flush succeeds; otherwise publish them with <see cref="PublishChangesAsync"/>.
    /// </remarks>
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
        int recorded;
        lock (_gate)
        {
            recorded = store.RecordsDecisions ? _changes.Count : 0;
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

            if (recorded > 0)
            {
                // The store recorded these changes as decisions with the writes: nothing is left to publish for them.
                lock (_gate)
                {
                    _changes.RemoveRange(0, Math.Min(recorded, _changes.Count));
                }
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
}
