using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;

namespace Alignment.Abstractions.Tests.Decisions;

public sealed class InMemoryDecisionSinkTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static AlignmentDecision StageChanged(string id, int minute) =>
        new AlignmentDecision.StageChanged(
            new LeadId(id),
            new LifecycleTransition(LifecycleStage.Inquiry, LifecycleStage.MarketingQualified, T0.AddMinutes(minute), LifecycleActor.System, "score"));

    [Fact]
    public void Decisions_NewSink_IsEmpty()
    {
        Assert.Empty(new InMemoryDecisionSink().Decisions);
    }

    [Fact]
    public async Task PublishAsync_SeveralDecisions_KeepsArrivalOrder()
    {
        var sink = new InMemoryDecisionSink();
        var first = StageChanged("L-2", 5);
        var second = new AlignmentDecision.SlaBreached(new LeadId("L-1"), new RepId("rep-7"), T0, T0.AddMinutes(30));
        var third = StageChanged("L-3", 1);

        await sink.PublishAsync(first);
        await sink.PublishAsync(second);
        await sink.PublishAsync(third);

        Assert.Equal(new[] { first, second, third }, sink.Decisions.ToArray());
        Assert.Equal(new LeadId("L-1"), sink.Decisions[1].LeadId);
        Assert.Equal(T0.AddMinutes(30), sink.Decisions[1].At);
    }

    [Fact]
    public async Task Decisions_IsASnapshot()
    {
        var sink = new InMemoryDecisionSink();
        await sink.PublishAsync(StageChanged("L-1", 0));
        var snapshot = sink.Decisions;

        await sink.PublishAsync(StageChanged("L-2", 1));

        Assert.Single(snapshot);
        Assert.Equal(2, sink.Decisions.Length);
    }

    [Fact]
    public async Task PublishAsync_FromManyThreads_KeepsEveryDecision()
    {
        var sink = new InMemoryDecisionSink();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (int i = 0; i < 250; i++)
            {
                await sink.PublishAsync(StageChanged($"L-{t}-{i}", i));
            }
        })));

        Assert.Equal(2000, sink.Decisions.Length);
        Assert.Equal(2000, sink.Decisions.Select(d => d.LeadId).Distinct().Count());
    }

    [Fact]
    public async Task PublishAsync_Null_Throws()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await new InMemoryDecisionSink().PublishAsync(null!));
    }

    [Fact]
    public async Task PublishAsync_Cancelled_ThrowsAndKeepsNothing()
    {
        var sink = new InMemoryDecisionSink();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await sink.PublishAsync(StageChanged("L-1", 0), cts.Token));
        Assert.Empty(sink.Decisions);
    }
}
