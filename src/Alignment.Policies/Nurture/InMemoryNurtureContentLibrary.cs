using System.Collections.Immutable;

namespace Alignment.Policies.Nurture;

/// <summary>An <see cref="INurtureContentProvider"/> over a list of collateral held in memory: the default, and handy in tests.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemoryNurtureContentLibrary : INurtureContentProvider
{
    private ImmutableArray<NurtureContent> _items = [];

    /// <summary>Every piece of collateral added so far.</summary>
    public ImmutableArray<NurtureContent> Items => _items;

    /// <summary>Adds collateral.</summary>
    /// <param name="content">The collateral.</param>
    /// <returns>This library, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is null.</exception>
    public InMemoryNurtureContentLibrary Add(NurtureContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        ImmutableInterlocked.Update(ref _items, static (items, c) => items.Add(c), content);
        return this;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is null.</exception>
    public ValueTask<IReadOnlyList<NurtureContent>> GetCandidatesAsync(NurtureContentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var result = new List<NurtureContent>();
        foreach (var item in _items)
        {
            if (string.Equals(item.Topic, query.Topic, StringComparison.Ordinal)
                && (item.Segment is null || item.Segment == query.Segment)
                && (item.Campaign is null || string.Equals(item.Campaign, query.Campaign, StringComparison.Ordinal)))
            {
                result.Add(item);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<NurtureContent>>(result);
    }
}
