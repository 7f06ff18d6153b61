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
        Assert.Equal(plain.Count, sharded.ShardCounts().Sum());
        Assert.All(sharded.ShardCounts(), n => Assert.InRange(n, 1, plain.Count / 8)); // spread: every shard used, none holding the lot
        Assert.Equal(plain.OrderBy(e => e.Key.Value, StringComparer.Ordinal), sharded.ToArray().OrderBy(e => e.Key.Value, StringComparer.Ordinal));
        Assert.Equal(plain.OrderBy(e => e.Key.Value, StringComparer.Ordinal), sharded.OrderBy(e => e.Key.Value, StringComparer.Ordinal));
        Assert.Equal(plain.Values.Order(), sharded.Values.Order());
        var missing = new LeadId("never-added");
        Assert.Throws<KeyNotFoundException>(() => sharded[missing]);
    }

    [Fact]
    public void Honours_the_comparer_for_reference_and_value_type_keys()
    {
        var ignoringCase = new ShardedDictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        Assert.True(ignoringCase.TryAdd("Key-1", 1));
        Assert.False(ignoringCase.TryAdd("KEY-1", 2));
        Assert.Equal(1, ignoringCase["key-1"]);
        Assert.True(ignoringCase.Remove("kEy-1"));
        Assert.Equal(0, ignoringCase.Count);

        var ordinal = new ShardedDictionary<string, int>(StringComparer.Ordinal);
        Assert.True(ordinal.TryAdd("Key-1", 1));
        Assert.True(ordinal.TryAdd("KEY-1", 2));
        Assert.Equal(2, ordinal.Count);

        var leads = new ShardedDictionary<LeadId, int>(new LeadIdIgnoringCase());
        Assert.True(leads.TryAdd(new LeadId("Lead-7"), 7));
        Assert.True(leads.ContainsKey(new LeadId("LEAD-7")));
        Assert.Equal(7, leads.GetValueOrDefault(new LeadId("lead-7")));
        Assert.False(leads.TryGetValue(new LeadId("lead-8"), out _));
    }

    [Fact]
    public void An_empty_map_answers_every_read_without_making_a_shard()
    {
        var empty = new ShardedDictionary<string, int>();

        Assert.False(empty.ContainsKey("a"));
        Assert.False(empty.Remove("a"));
        Assert.False(empty.TryGetValue("a", out _));
        Assert.Equal(0, empty.GetValueOrDefault("a"));
        Assert.Throws<KeyNotFoundException>(() => empty["a"]);
        Assert.Empty(empty);
        Assert.Empty(empty.Values);
        Assert.Empty(empty.ToArray());
        Assert.All(empty.ShardCounts(), n => Assert.Equal(-1, n)); // no shard made by a read

        empty["a"] = 1;
        Assert.True(empty.Remove("a"));
        Assert.Equal(1, empty.ShardCounts().Count(n => n == 0)); // the one write made one shard
    }

    [Fact]
    public void Spreads_lead_ids_and_sequence_numbers_made_by_a_counter_over_every_shard()
    {
        // Keys as a CRM, the load run and the nurture store make them (a prefix and a counter; a slot number counting up): every
        // shard gets a share and none more than twice the mean, so no insert ever copies more than a small part of the map. The
        // sequence numbers hash to themselves, so this fails if the shard were taken from the hash's high bits alone (the bits a plain shift would keep).
        const int Keys = 64_000;
        var leads = new ShardedDictionary<LeadId, int>();
        var slots = new ShardedDictionary<long, int>();
        for (int i = 0; i < Keys; i++)
        {
            leads.Add(new LeadId($"load-1765100000-{i % 2 + 1}-{i}"), i);
            slots.Add(i, i);
        }

        Assert.All(leads.ShardCounts(), n => Assert.InRange(n, Keys / Shards.Count / 2, 2 * Keys / Shards.Count));
        Assert.All(slots.ShardCounts(), n => Assert.InRange(n, Keys / Shards.Count / 2, 2 * Keys / Shards.Count));
        Assert.All(new[] { int.MinValue, -1, 0, 1, int.MaxValue }, h => Assert.InRange(Shards.Of(h), 0, Shards.Count - 1));
        Assert.Equal(1 << Shards.Bits, Shards.Count);
    }

    private sealed class LeadIdIgnoringCase : IEqualityComparer<LeadId>
    {
        public bool Equals(LeadId x, LeadId y) => string.Equals(x.Value, y.Value, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode(LeadId obj) => StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Value);
    }
}
