using System.Collections.Concurrent;
using System.Diagnostics;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Alignment.Orleans.Tests;

/// <summary>The clock of the SLA tests' silos and routers: real time plus an offset the test moves forward.</summary>
internal sealed class JumpClock : TimeProvider
{
    public static readonly JumpClock Instance = new();

    private long _offsetTicks;

    public void Jump(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}

/// <summary>Silos with grain state and reminders in the Redis server named by <c>AlignmentRedis</c>, reminders every 5 s, on <see cref="JumpClock"/>.</summary>
internal sealed class SlaSiloConfigurator : ISiloConfigurator
{
    public void Configure(ISiloBuilder siloBuilder)
    {
        var redis = ConfigurationOptions.Parse(siloBuilder.Configuration["AlignmentRedis"] ?? throw new InvalidOperationException("AlignmentRedis is not set."));
        siloBuilder
            .AddAlignmentOrleans(o =>
            {
                o.SlaReminderPeriod = TimeSpan.FromSeconds(5);
                o.SlaRetryInterval = TimeSpan.FromSeconds(3);
                o.Clock = JumpClock.Instance;
            })
            .AddRedisGrainStorage(AlignmentOrleans.StorageName, o => o.ConfigurationOptions = redis)
            .UseRedisReminderService(o => o.ConfigurationOptions = redis)
            .Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(5));
    }
}

/// <summary>
/// Service-level clocks on Orleans: each cell keeps its handoffs' due times with a grain timer and an Orleans reminder, and hands
/// the overdue leads to the routers subscribed to the tenant. Silos are lost; every breach is still handled exactly once, on a
/// surviving silo.
/// </summary>
public sealed class OrleansSlaTimerTests(ITestOutputHelper output)
{
    /// <summary>10 territories of 5 reps, a one-minute SLA and no reassignment: a breach escalates the handoff, once.</summary>
    private static CompiledRoutingPolicy Policy()
    {
        var rules = Enumerable.Range(0, 10).Select(p =>
            $"{{ \"id\": \"t{p}\", \"match\": {{ \"company.country\": [\"C{p}\"] }}, \"strategy\": \"roundRobin\", \"pool\": {{ \"reps\": [{string.Join(", ", Enumerable.Range(0, 5).Select(r => $"\"p{p}-r{r}\""))}] }}, \"queue\": \"q{p}\", \"slaMinutes\": 1, \"escalation\": {{ \"maxReassignments\": 0 }} }}");
        var reps = Enumerable.Range(0, 10).SelectMany(p => Enumerable.Range(0, 5).Select(r => $"{{ \"id\": \"p{p}-r{r}\", \"team\": \"ae\" }}"));
        return CompiledRoutingPolicy.Load(
            $"{{ \"id\": \"sla-territories\", \"fallbackQueue\": \"unassigned\", \"rules\": [ {string.Join(", ", rules)} ] }}",
            $"{{ \"reps\": [ {string.Join(", ", reps)} ] }}");
    }

    [Fact]
    public async Task TwoSilosLost_EveryOverdueHandoffIsBreachedExactlyOnce_OnTheSurvivor_AndNoTouchedOne()
    {
        await using var redis = await PrivateRedis.CreateAsync(fsyncEveryWrite: true);
        var builder = new TestClusterBuilder(3);
        builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["AlignmentRedis"] = redis.Configuration }));
        builder.AddSiloBuilderConfigurator<SlaSiloConfigurator>();
        await using var cluster = builder.Build();
        await cluster.DeployAsync();

        const int leads = 3_000;
        var policy = Policy();
        var clock = JumpClock.Instance;
        string tenant = "sla-" + Guid.NewGuid().ToString("N");
        var stores = Enumerable.Range(0, 8).Select(_ => new OrleansRoutingStateStore(cluster.GrainFactory, tenant)).ToArray();
        var sinks = stores.Select(_ => new InMemoryDecisionSink()).ToArray();
        var routers = stores.Select((s, i) => new HandoffRouter(policy, new HandoffRouterServices { Store = s, Decisions = sinks[i], TimeProvider = clock })).ToArray();
        var subscriptions = new List<IAsyncDisposable>();
        foreach (var (store, router) in stores.Zip(routers))
        {
            subscriptions.Add(await store.HandleSlaTimersAsync(router, TimeSpan.FromSeconds(1)));
        }

        // Every tenth lead is touched at once: its clock stops, and it must never be breached.
        var touched = new ConcurrentDictionary<string, byte>(StringComparer.Ordinal);
        int done = 0;
        int retried = 0;
        var third = new TaskCompletionSource();
        var watch = Stopwatch.StartNew();
        var work = Parallel.ForEachAsync(Enumerable.Range(0, leads), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (lead, ct) =>
        {
            var router = routers[lead % routers.Length];
            await Retrying.CallAsync(
                async c =>
                {
                    var handoff = await router.RouteWithDetailsAsync(RoutingScenario.Request($"lead-{lead}", $"C{lead % 10}"), c);
                    if (lead % 10 == 0)
                    {
                        await router.RecordFirstTouchAsync(handoff.LeadId, handoff.Rep, c);
                        touched.TryAdd(handoff.LeadId.Value, 0);
                    }

                    return handoff;
                },
                attempts: 20,
                timeout: TimeSpan.FromSeconds(20),
                pause: TimeSpan.FromMilliseconds(100),
                () => Interlocked.Increment(ref retried),
                ct);

            if (Interlocked.Increment(ref done) == leads / 3)
            {
                third.TrySetResult();
            }
        });

        // One silo lost in the middle of the leads, another once they are all routed and before any clock runs out: the cells
        // that lived on it are called by nothing but their reminders.
        await third.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await cluster.KillSiloAsync(cluster.SecondarySilos[0]);
        await work.WaitAsync(TimeSpan.FromMinutes(4));
        output.WriteLine($"{leads} leads routed in {watch.Elapsed.TotalSeconds:F1} s, {retried} calls retried");
        await cluster.KillSiloAsync(cluster.SecondarySilos[^1]);
        Assert.Empty(Breaches(sinks));

        // Every clock runs out at once: the grain timers set for a minute from now are not what finds them.
        clock.Jump(TimeSpan.FromMinutes(1.5));
        var jumped = Stopwatch.StartNew();
        int expected = leads - touched.Count;
        while (Breaches(sinks).Count < expected && jumped.Elapsed < TimeSpan.FromSeconds(45))
        {
            await Task.Delay(250);
        }

        output.WriteLine($"{Breaches(sinks).Count} of {expected} breaches handled {jumped.Elapsed.TotalSeconds:F1} s after the clocks ran out");

        // Long enough for any repeat: two retry intervals and a reminder period.
        await Task.Delay(TimeSpan.FromSeconds(8));
        var breaches = Breaches(sinks);
        var byLead = breaches.GroupBy(b => b.Lead.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var check = stores[0];
        for (int i = 0; i < leads; i++)
        {
            string id = $"lead-{i}";
            var current = await check.FindAsync(new LeadId(id));
            Assert.True(current is not null, $"{id} has no handoff: lost");
            Assert.Equal(1, current.Epoch);
            if (touched.ContainsKey(id))
            {
                Assert.False(byLead.ContainsKey(id), $"{id} was touched before its due time and was breached");
                Assert.Equal(HandoffStatus.Touched, current.Status);
            }
            else
            {
                Assert.True(byLead.TryGetValue(id, out int count), $"{id} is overdue and was never breached");
                Assert.True(count == 1, $"{id} was breached {count} times");
                Assert.True(current.Escalated, $"{id} was breached and is not marked escalated");
            }
        }

        Assert.DoesNotContain(await check.ListAwaitingFirstTouchAsync(), a => !a.Escalated);
        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }

        foreach (var router in routers)
        {
            router.Dispose();
        }
    }

    private static List<AlignmentDecision.SlaBreached> Breaches(InMemoryDecisionSink[] sinks) =>
        [.. sinks.SelectMany(s => s.Decisions).OfType<AlignmentDecision.SlaBreached>()];
}
