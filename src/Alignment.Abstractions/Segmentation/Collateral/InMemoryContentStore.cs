using System.Collections.Immutable;

namespace Alignment.Segmentation.Collateral;

/// <summary>An <see cref="IContentStore"/> in memory, for tests and single-process hosts that do not restart.</summary>
/// <remarks>Thread-safe (one lock).</remarks>
public sealed class InMemoryContentStore : IContentStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Tenant> _tenants = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask SaveItemAsync(string tenant, CollateralItem item, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ContentStoreRules.Validate(item, nameof(item));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Of(tenant).Items[item.Id] = item;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask AddUsagesAsync(string tenant, IReadOnlyList<CollateralUsage> usages, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentNullException.ThrowIfNull(usages);
        foreach (var u in usages)
        {
            ContentStoreRules.Validate(u, nameof(usages));
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Of(tenant).Usages.AddRange(usages);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask SetDealOutcomeAsync(string tenant, string dealId, DealOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentException.ThrowIfNullOrWhiteSpace(dealId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Of(tenant).Deals[dealId] = outcome;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask SaveSuggestionAsync(string tenant, ContentSuggestion suggestion, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ContentStoreRules.Validate(suggestion, nameof(suggestion));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            Of(tenant).Suggestions[suggestion.Id] = suggestion;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<ContentSnapshot> ReadAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_tenants.TryGetValue(tenant, out var t))
            {
                return ValueTask.FromResult(ContentSnapshot.Empty);
            }

            return ValueTask.FromResult(new ContentSnapshot(
                [.. t.Items.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value)],
                [.. t.Usages],
                [.. t.Deals.OrderBy(p => p.Key, StringComparer.Ordinal)],
                [.. t.Suggestions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value)]));
        }
    }

    private Tenant Of(string tenant)
    {
        if (!_tenants.TryGetValue(tenant, out var t))
        {
            t = new Tenant();
            _tenants.Add(tenant, t);
        }

        return t;
    }

    private sealed class Tenant
    {
        public Dictionary<string, CollateralItem> Items { get; } = new(StringComparer.Ordinal);

        public List<CollateralUsage> Usages { get; } = [];

        public Dictionary<string, DealOutcome> Deals { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, ContentSuggestion> Suggestions { get; } = new(StringComparer.Ordinal);
    }
}
