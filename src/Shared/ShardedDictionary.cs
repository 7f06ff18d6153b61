// Linked into the packages whose in-memory stores keep an entry per lead (Alignment.Abstractions, Alignment.Policies) and into
// tests/Alignment.Abstractions.Tests: an internal type of each, so that no package exposes it and none needs another's internals.
// Two assemblies define it, so an InternalsVisibleTo from Abstractions to an assembly that also sees Policies' internals would
// make the name ambiguous (CS0436): link this file there instead.
using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Alignment.Collections;

/// <summary>
/// Which of <see cref="Count"/> shards a key's hash code belongs to: the top bits of the code times a large odd constant, so the
/// choice is independent of the bits a <see cref="Dictionary{TKey, TValue}"/> uses for its buckets (the code modulo a prime).
/// </summary>
internal static class Shards
{
    /// <summary>log2 of <see cref="Count"/>.</summary>
    public const int Bits = 6;

    /// <summary>The number of shards: a map of a million entries grows in steps of about 16,000.</summary>
    public const int Count = 1 << Bits;

    private const int Shift = 32 - Bits;

    /// <summary>The shard of a hash code, 0 to <see cref="Count"/> - 1.</summary>
    public static int Of(int hashCode) => (int)(unchecked((uint)hashCode * 0x9E3779B1u) >> Shift);
}

/// <summary>
/// A dictionary kept as <see cref="Shards.Count"/> dictionaries that grow independently. Why: a <see cref="Dictionary{TKey, TValue}"/>
/// grows by copying every entry into an array twice the size, and an in-memory store that keeps an entry per lead does that
/// under its lock: at a million leads one insert copies them all, and every other request waits tens of milliseconds (it set
/// the in-memory ingest's p99 latency under load at 26-95 ms; docs/performance.md). Here one insert copies at most one shard's
/// entries, about a sixty-fourth. Not thread-safe, like the dictionary it replaces: the stores call it under their lock.
/// </summary>
/// <typeparam name="TKey">The key.</typeparam>
/// <typeparam name="TValue">The value.</typeparam>
internal sealed class ShardedDictionary<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : notnull
{
    // A shard is made at its first write, so that an empty map (a tenant with no leads yet) holds one array, not 64 dictionaries.
    private readonly Dictionary<TKey, TValue>?[] _shards = new Dictionary<TKey, TValue>?[Shards.Count];
    private readonly IEqualityComparer<TKey>? _comparer;

    /// <summary>Creates an empty dictionary.</summary>
    /// <param name="comparer">The key comparer; <see langword="null"/> for the default one (hashed through
    /// <see cref="EqualityComparer{T}.Default"/>, which the JIT devirtualises for a value-type key, as <see cref="Dictionary{TKey, TValue}"/> does).</param>
    public ShardedDictionary(IEqualityComparer<TKey>? comparer = null) => _comparer = comparer;

    /// <summary>The number of entries (a sum over the shards).</summary>
    public int Count
    {
        get
        {
            int count = 0;
            foreach (var shard in _shards)
            {
                count += shard?.Count ?? 0;
            }

            return count;
        }
    }

    /// <summary>The values, shard by shard (no order).</summary>
    public IEnumerable<TValue> Values
    {
        get
        {
            foreach (var shard in _shards)
            {
                if (shard is null)
                {
                    continue;
                }

                foreach (var value in shard.Values)
                {
                    yield return value;
                }
            }
        }
    }

    /// <summary>Gets or sets the value of a key; getting a missing key throws <see cref="KeyNotFoundException"/>.</summary>
    /// <param name="key">The key.</param>
    public TValue this[TKey key]
    {
        get => Find(key) is { } shard ? shard[key] : throw new KeyNotFoundException($"The key '{key}' was not present in the dictionary.");
        set => Make(key)[key] = value;
    }

    /// <summary>Gets the value of a key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, when found.</param>
    /// <returns>Whether the key was found.</returns>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (Find(key) is { } shard)
        {
            return shard.TryGetValue(key, out value);
        }

        value = default;
        return false;
    }

    /// <summary>The value of a key, or the type's default when it is missing.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value or the default.</returns>
    public TValue? GetValueOrDefault(TKey key) => Find(key) is { } shard ? shard.GetValueOrDefault(key) : default;

    /// <summary>Whether a key is present.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool ContainsKey(TKey key) => Find(key)?.ContainsKey(key) ?? false;

    /// <summary>Adds a key unless it is present.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when added.</returns>
    public bool TryAdd(TKey key, TValue value) => Make(key).TryAdd(key, value);

    /// <summary>Adds a key; throws <see cref="ArgumentException"/> when it is present.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    public void Add(TKey key, TValue value) => Make(key).Add(key, value);

    /// <summary>Removes a key.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> when it was present.</returns>
    public bool Remove(TKey key) => Find(key)?.Remove(key) ?? false;

    /// <summary>The entries, copied into an array of their exact count (for a snapshot taken under the caller's lock).</summary>
    /// <returns>A new array.</returns>
    public KeyValuePair<TKey, TValue>[] ToArray()
    {
        var all = new KeyValuePair<TKey, TValue>[Count];
        int at = 0;
        foreach (var shard in _shards)
        {
            if (shard is not null)
            {
                ((ICollection<KeyValuePair<TKey, TValue>>)shard).CopyTo(all, at);
                at += shard.Count;
            }
        }

        return all;
    }

    /// <summary>The number of entries in each shard, -1 for a shard not made yet (for tests of the spread).</summary>
    /// <returns>One count per shard.</returns>
    internal int[] ShardCounts() => [.. _shards.Select(static s => s?.Count ?? -1)];

    /// <summary>
    /// The entries, shard by shard. Unlike a <see cref="Dictionary{TKey, TValue}"/>'s, the enumeration does not detect every change
    /// made during it (only one to the shard being read): take <see cref="ToArray"/> under the lock instead.
    /// </summary>
    /// <returns>The enumerator.</returns>
    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator()
    {
        foreach (var shard in _shards)
        {
            if (shard is null)
            {
                continue;
            }

            foreach (var entry in shard)
            {
                yield return entry;
            }
        }
    }

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(TKey key) => Shards.Of(_comparer is null ? EqualityComparer<TKey>.Default.GetHashCode(key) : _comparer.GetHashCode(key));

    private Dictionary<TKey, TValue>? Find(TKey key) => _shards[IndexOf(key)];

    private Dictionary<TKey, TValue> Make(TKey key) => _shards[IndexOf(key)] ??= new Dictionary<TKey, TValue>(_comparer);
}
