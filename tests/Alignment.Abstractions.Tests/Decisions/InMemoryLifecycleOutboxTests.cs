using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Lifecycle;

namespace Alignment.Abstractions.Tests.Decisions;

/// <summary>The in-memory lifecycle store with an outbox: each transition a save adds is appended with the save, numbered per lead.</summary>
public sealed class InMemoryLifecycleOutboxTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_save_records_the_transitions_it_adds_and_a_refused_save_records_nothing()
    {
        var outbox = new InMemoryDecisionOutbox();
        ILifecycleStore store = new InMemoryLifecycleStore(outbox);
        Assert.True(store.RecordsDecisions);
        Assert.False(((ILifecycleStore)new InMemoryLifecycleStore()).RecordsDecisions);

        var start = LeadLifecycle.Start(new LeadId("l"));
        var mql = start.Transition(LifecycleStage.MarketingQualified, T0, LifecycleActor.System, "score 70");
        Assert.True(await store.TrySaveAsync(mql, 0));
        var sal = mql.Transition(LifecycleStage.SalesAccepted, T0.AddHours(1), LifecycleActor.Sales, "accepted")
            .Transition(LifecycleStage.SalesQualified, T0.AddHours(2), LifecycleActor.Sales, "budget confirmed");
        Assert.False(await store.TrySaveAsync(sal, 0)); // stale version: nothing saved, nothing recorded
        Assert.True(await store.TrySaveAsync(sal, 1));

        var pending = await outbox.ReadPendingAsync(10);
        Assert.Equal(["stage-changed:l:1", "stage-changed:l:2", "stage-changed:l:3"], pending.Select(p => p.Key));
        Assert.Equal(sal.History, pending.Select(p => ((AlignmentDecision.StageChanged)p.Decision).Transition));
    }
}
