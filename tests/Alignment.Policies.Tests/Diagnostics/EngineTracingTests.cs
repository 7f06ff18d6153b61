using System.Collections.Concurrent;
using System.Diagnostics;
using Alignment.Decisions;
using Alignment.Diagnostics;
using Alignment.Leads;
using Alignment.Policies.Handoff;
using Alignment.Policies.Tests.Handoff;
using Alignment.Policies.Tests.Nurture.TestDoubles;
using Microsoft.Extensions.Time.Testing;
using static Alignment.Policies.Tests.Handoff.HandoffTestData;

namespace Alignment.Policies.Tests.Diagnostics;

/// <summary>
/// Spans for a routing decision, an SLA check and a nurture run on the <c>Alignment</c> activity source, and the decision
/// latency histogram on the router's meter.
/// </summary>
public sealed class EngineTracingTests
{
    [Fact]
    public async Task RouteSlaCheckAndNurtureRun_EachStartASpan_AndDecisionsRecordTheirLatency()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == AlignmentDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var meters = new ScopedMeterFactory();
        var durations = new List<(double Value, Dictionary<string, object?> Tags)>();
        using var histogram = ListenDouble(meters, "alignment.handoff.decision.duration", durations);
        var time = new FakeTimeProvider(Monday10Utc);
        string id = "trace-" + Guid.NewGuid().ToString("N")[..8];
        using var router = new HandoffRouter(
            Compile([Rep("a")], Rule("rr", RoutingStrategies.RoundRobin, "ae") with { SlaMinutes = 15 }),
            new HandoffRouterServices { Store = new InMemoryRoutingStateStore(), Decisions = new InMemoryDecisionSink(), TimeProvider = time, MeterFactory = meters });

        await router.RouteAsync(Request(id));
        await router.RouteAsync(Request(id)); // the open handoff is returned: no new decision
        time.Advance(TimeSpan.FromMinutes(16));
        var breached = await router.ProcessSlaBreachesAsync();
        var h = new NurtureHarness();
        await h.Engine.RunDueAsync();

        var routes = spans.Where(s => s.OperationName == "alignment.handoff.route" && (string?)s.GetTagItem("alignment.lead.id") == id).ToList();
        Assert.Equal(2, routes.Count);
        Assert.Contains(routes, s => (string?)s.GetTagItem("alignment.handoff.kind") == "initial" && (string?)s.GetTagItem("alignment.handoff.outcome") == "assigned");
        Assert.Contains(routes, s => (string?)s.GetTagItem("alignment.handoff.kind") == "existing");
        Assert.Single(breached);
        Assert.Contains(spans, s => s.OperationName == "alignment.handoff.sla_check" && Equals(s.GetTagItem("alignment.handoff.breaches"), 1));
        Assert.Contains(spans, s => s.OperationName == "alignment.nurture.run");
        Assert.Equal(2, durations.Count);
        Assert.All(durations, d => Assert.True(d.Value >= 0 && double.IsFinite(d.Value)));
        Assert.Equal(["existing", "initial"], durations.Select(d => (string)d.Tags["kind"]!).Order());
    }

    private static System.Diagnostics.Metrics.MeterListener ListenDouble(ScopedMeterFactory meters, string name, List<(double Value, Dictionary<string, object?> Tags)> into)
    {
        var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name == name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (into)
            {
                into.Add((value, copy));
            }
        });
        listener.Start();
        return listener;
    }
}
