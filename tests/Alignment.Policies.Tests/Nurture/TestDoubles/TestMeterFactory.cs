using System.Diagnostics.Metrics;

namespace Alignment.Policies.Tests.Nurture.TestDoubles;

/// <summary>Creates meters scoped to this factory, so a test listens only to its own instruments while other tests run in parallel.</summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
        _meters.Add(meter);
        return meter;
    }

    /// <summary>Starts a listener that sums every long measurement of this factory's instruments on the Alignment meter, by instrument name.</summary>
    public MeterListener Listen(Dictionary<string, long> counts)
    {
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, this) && instrument.Meter.Name == Alignment.Diagnostics.AlignmentDiagnostics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (counts)
            {
                counts[instrument.Name] = counts.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.Start();
        return listener;
    }

    public void Dispose()
    {
        foreach (var meter in _meters)
        {
            meter.Dispose();
        }
    }
}
