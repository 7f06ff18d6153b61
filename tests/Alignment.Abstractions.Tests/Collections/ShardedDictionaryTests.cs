using Alignment.Collections;
using Alignment.Leads;

namespace Alignment.Abstractions.Tests.Collections;

/// <summary>
/// The in-memory stores' sharded map: the same answers as one <see cref="Dictionary{TKey, TValue}"/> under any sequence of
/// operations, its comparer honoured, and lead ids spread over the shards, so that each shard grows by a small part of the whole.
/// </summary>
public sealed class ShardedDictionaryTests
{
    [Fact]
    public void Answers_as_one_dictionary_under_random_adds_sets_removes_and_reads()
    {
        var random = new Random(20261207);
        var sharded = new ShardedDictionary<LeadId, int>();
        var plain = new Dictionary<LeadId, int>();
        for (int i = 0; i < 50_000; i++)
        {
            var key = new LeadId($"lead-{random.Next(5_000)}");
            int value = random.Next();
            switch (random.Next(6))
            {
                case 0:
                    Assert.Equal(plain.TryAdd(key, value), sharded.TryAdd(key, value));
                    break;
                case 1:
                    plain[key] = value;
                    sharded[key] = value;
                    break;
                case 2:
                    Assert.Equal(plain.Remove(key), sharded.Remove(key));
                    break;
                case 3:
                    Assert.Equal(plain.TryGetValue(key, out int p), sharded.TryGetValue(key, out int s));
                    Assert.Equal(p, s);
                    break;
                case 4:
                    Assert.Equal(plain.ContainsKey(key), sharded.ContainsKey(key));
                    Assert.Equal(plain.GetValueOrDefault(key), sharded.GetValueOrDefault(key));
                    break;
                default:
                    if (plain.TryAdd(key, value))
                    {
                        sharded.Add(key, value);
                    }
                    else
                    {
                        Assert.Throws<ArgumentException>(() => sharded.Add(key, value));
                    }

                    break;
            }
        }

        Assert.Equal(plain.Count, sharded.Count);
        Assert.Equal(plain.OrderBy(e => e.Key.Value, StringComparer.Ordinal), sharded.OrderBy(e => e.Key.Value, StringComparer.Ordinal));
        Assert.Equal(plain.Values.Order(), sharded.Values.Order());
        var missing = new LeadId("never-added");
        Assert.Throws<KeyNotFoundException>(() => sharded[missing]);
    }

    [Fact]
    public void Honours_the_comparer()
    {
        var sharded = new ShardedDictionary<string, int>(StringComparer.OrdinalIgnoreCase);

        Assert.True(sharded.TryAdd("Key-1", 1));
        Assert.False(sharded.TryAdd("KEY-1", 2));
        Assert.Equal(1, sharded["key-1"]);
        Assert.True(sharded.Remove("kEy-1"));
        Assert.Equal(0, sharded.Count);
    }

    [Fact]
    public void Spreads_lead_ids_made_by_a_counter_over_every_shard()
    {
        // Ids as a CRM or the load run makes them (a prefix and a counter): every shard gets a share, none more than twice the mean,
        // so no insert ever copies more than a small part of the map.
        var perShard = new int[Shards.Count];
        const int Leads = 64_000;
        for (int i = 0; i < Leads; i++)
        {
            perShard[Shards.Of(new LeadId($"load-1765100000-{i % 2 + 1}-{i}").GetHashCode())]++;
        }

        Assert.All(perShard, n => Assert.InRange(n, Leads / Shards.Count / 2, 2 * Leads / Shards.Count));
        Assert.All(Enumerable.Range(0, 1000), h => Assert.InRange(Shards.Of(h), 0, Shards.Count - 1));
        Assert.InRange(Shards.Of(int.MinValue), 0, Shards.Count - 1);
        Assert.InRange(Shards.Of(-1), 0, Shards.Count - 1);
    }
}
