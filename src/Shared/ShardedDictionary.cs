// Linked into the packages whose in-memory stores keep an entry per lead (Alignment.Abstractions, Alignment.Policies): an
// internal type of each, so that no package exposes it and none needs another's internals.
using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Alignment.Collections;

/// <summary>
/// Which of <see cref="Count"/> shards a key's hash code belongs to: the top bits of the code times a large odd constant, so the
/// choice is independent of the bits a <see cref="Dictionary{TKey, TValue}"/> uses for its buckets (the code modulo a prime).
/// </summary>
internal static class Shards
{
    /// <summary>The number of shards: a map of a million entries grows in steps of about 16,000.</summary>
    public const int Count = 64;

    private const int Shift = 32 - 6; // log2(Count) = 6

    /// <summary>The shard of a hash code, 0 to <see cref="Count"/> - 1.</summary>
    public static int Of(int hashCode) => (int)(unchecked((uint)hashCode * 0x9E3779B1u) >> Shift);
}

/// <summary>
/// A dictionary kept as <see cref="Shards.Count"/> dictionaries that grow independently. Why: a <see cref="Dictionary{TKey, TValue}"/>
/// grows by copying every entry into an array twice the size, and an in-memory store that keeps an entry per lead does that
/// under its lock: at a million leads one insert copies them all, and every other request waits tens of milliseconds (it set
/// the in-memory ingest's p99 latency under load at 70-95 ms; docs/performance.md). Here one insert copies at most one shard's
/// entries, about a sixty-fourth. Not thread-safe, like the dictionary it replaces: the stores call it under their lock.
/// </summary>
/// <typeparam name="TKey">The key.</typeparam>
/// <typeparam name="TValue">The value.</typeparam>
internal sealed class ShardedDictionary<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue>[] _shards = new Dictionary<TKey, TValue>[Shards.Count];
    private readonly IEqualityComparer<TKey>? _comparer;

    /// <summary>Creates an empty dictionary.</summary>
    /// <param name="comparer">The key comparer; <see langword="null"/> for the default one.</param>
    public ShardedDictionary(IEqualityComparer<TKey>? comparer = null)
    {
        // Like Dictionary: a value-type key with the default comparer is hashed through EqualityComparer<TKey>.Default, which the
        // JIT devirtualises.
        _comparer = typeof(TKey).IsValueType && (comparer is null || ReferenceEquals(comparer, EqualityComparer<TKey>.Default)) ? null : comparer ?? EqualityComparer<TKey>.Default;
        for (int i = 0; i < _shards.Length; i++)
        {
            _shards[i] = new Dictionary<TKey, TValue>(comparer);
        }
    }

    /// <summary>The number of entries (a sum over the shards).</summary>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (var shard in _shards)
            {
                count += shard.Count;
            }

            return count;
        }
    }

    /// <summary>The values, shard by shard (no order).</summary>
    public IEnumerable<TValue> Values => _shards.SelectMany(static s => s.Values);

    /// <summary>Gets or sets the value of a key; getting a missing key throws <see cref="KeyNotFoundException"/>.</summary>
    /// <param name="key">The key.</param>
    public TValue this[TKey key]
    {
        get => ShardOf(key)[key];
        set => ShardOf(key)[key] = value;
    }

    /// <summary>Gets the value of a key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, when found.</param>
    /// <returns>Whether the key was found.</returns>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value) => ShardOf(key).TryGetValue(key, out value);

    /// <summary>The value of a key, or the type's default when it is missing.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value or the default.</returns>
    public TValue? GetValueOrDefault(TKey key) => ShardOf(key).GetValueOrDefault(key);

    /// <summary>Whether a key is present.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool ContainsKey(TKey key) => ShardOf(key).ContainsKey(key);

    /// <summary>Adds a key unless it is present.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when added.</returns>
    public bool TryAdd(TKey key, TValue value) => ShardOf(key).TryAdd(key, value);

    /// <summary>Adds a key; throws <see cref="ArgumentException"/> when it is present.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    public void Add(TKey key, TValue value) => ShardOf(key).Add(key, value);

    /// <summary>Removes a key.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> when it was present.</returns>
    public bool Remove(TKey key) => ShardOf(key).Remove(key);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator()
    {
        foreach (var shard in _shards)
        {
            foreach (var entry in shard)
            {
                yield return entry;
            }
        }
    }

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Dictionary<TKey, TValue> ShardOf(TKey key) =>
        _shards[Shards.Of(_comparer is null ? EqualityComparer<TKey>.Default.GetHashCode(key) : _comparer.GetHashCode(key))];
}
