using System.Diagnostics.Metrics;
using Alignment.Decisions;
using Alignment.Diagnostics;
using Alignment.Lifecycle;
using Alignment.Policies.Handoff;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Tests.Handoff;
using Microsoft.Extensions.Time.Testing;
using static Alignment.Policies.Tests.Handoff.HandoffTestData;

namespace Alignment.Policies.Tests.Diagnostics;

/// <summary>
/// An OpenTelemetry exporter refuses (or reports a conflict for) one instrument name created with different units or
/// descriptions: every engine of the package that records an instrument must define it the same way.
/// </summary>
public sealed class InstrumentDefinitionTests
{
    [Fact]
    public void EveryInstrumentName_HasOneDefinition_AcrossTheEngines()
    {
        using var meters = new ScopedMeterFactory();
        var published = new List<Instrument>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, _) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters))
            {
                lock (published)
                {
                    published.Add(instrument);
                }
            }
        };
        listener.Start();

        var time = new FakeTimeProvider(Monday10Utc);
        var lifecycle = new InMemoryLifecycleStore();
        var sink = new InMemoryDecisionSink();
        using var router = new HandoffRouter(Compile([Rep("a")], Rule("rr", RoutingStrategies.RoundRobin, "ae")), new HandoffRouterServices { Store = new InMemoryRoutingStateStore(), Decisions = sink, TimeProvider = time, Lifecycle = lifecycle, MeterFactory = meters });
        _ = new LifecycleRecorder(lifecycle, sink, time, meters);

        Assert.Contains(published, i => i.Name == "alignment.leads.recycled" && i.Meter.Name == AlignmentDiagnostics.MeterName);
        Assert.True(published.Count(i => i.Name == "alignment.leads.recycled") >= 2, "both the router and the recorder record recycles");
        foreach (var byName in published.GroupBy(i => i.Name))
        {
            var definitions = byName.Select(i => (i.Unit, i.Description, Type: i.GetType())).Distinct().ToList();
            Assert.True(definitions.Count == 1, $"{byName.Key} is defined {definitions.Count} ways: {string.Join(" | ", definitions)}");
        }
    }
}
