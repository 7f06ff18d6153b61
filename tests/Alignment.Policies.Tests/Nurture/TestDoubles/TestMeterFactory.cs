using System.Diagnostics.Metrics;

namespace Alignment.Policies.Tests.Nurture.TestDoubles;

/// <summary>
/// Creates meters scoped to this factory under a private name, so a test listens only to its own instruments, and tests that
/// listen to the real "Alignment" meter in parallel never see these measurements. <see cref="RequestedNames"/> keeps the names asked for.
/// </summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public List<string> RequestedNames { get; } = [];

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (_meters)
        {
            RequestedNames.Add(options.Name);
            var meter = new Meter(new MeterOptions("isolated-test." + options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
            _meters.Add(meter);
            return meter;
        }
    }

    /// <summary>Starts a listener that sums every long measurement of this factory's instruments, by instrument name.</summary>
    public MeterListener Listen(Dictionary<string, long> counts)
    {
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, this))
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
