using System.Collections.Concurrent;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Xunit.Abstractions;

namespace Alignment.Orleans.Tests;

/// <summary>
/// What a run of leads <c>lead-0</c> .. <c>lead-(n-1)</c> routed once each must leave behind: every lead has one handoff at epoch 1
/// and no history (none lost, none decided twice), every caller saw one outcome per lead, no rep holds more than the cap, and each
/// rep's counter equals the open handoffs it holds.
/// </summary>
internal static class RoutingConsistency
{
    public static async Task AssertAsync(CompiledRoutingPolicy policy, OrleansRoutingStateStore store, int leads, ConcurrentDictionary<string, ConcurrentBag<string>> outcomes, int cap, ITestOutputHelper output)
    {
        var assigned = new Dictionary<string, int>(StringComparer.Ordinal);
        int queued = 0;
        for (int i = 0; i < leads; i++)
        {
            string id = $"lead-{i}";
            var current = await store.FindAsync(new LeadId(id));
            Assert.True(current is not null, $"{id} has no handoff: lost");
            Assert.Equal(1, current.Epoch);
            Assert.Empty(await store.ListHistoryAsync(new LeadId(id)));
            Assert.True(outcomes.TryGetValue(id, out var seen), $"{id} was never answered");
            Assert.Single(seen.Distinct());
            if (current.Rep is { } rep)
            {
                assigned[rep.Value] = assigned.GetValueOrDefault(rep.Value) + 1;
            }
            else
            {
                queued++;
            }
        }

        foreach (var rep in policy.GetWholeFootprint().Reps)
        {
            int held = assigned.GetValueOrDefault(rep.Value);
            Assert.True(held <= cap, $"{rep} holds {held} leads, over the cap of {cap}");
            Assert.Equal(held, (await store.GetRepLoadAsync(rep)).Open);
            Assert.Equal(held, (await store.ListOpenAsync(rep)).Count);
        }

        // 10 pools of 5 reps with a cap take 50 x cap leads; the rest wait in the pools' queues.
        Assert.Equal(Math.Min(leads, 50 * cap), assigned.Values.Sum());
        Assert.Equal(leads - assigned.Values.Sum(), queued);
        output.WriteLine($"{assigned.Values.Sum()} assigned, {queued} queued");
    }
}
