using System.Diagnostics.Metrics;

namespace Alignment.Policies.Tests.Handoff;

/// <summary>
/// An <see cref="IMeterFactory"/> for one test: it creates meters under the name the code asks for (so tests can check the
/// "Alignment" meter name) but scoped to this factory, and <see cref="Listen"/> hears only instruments of meters this factory
/// created. Routers built by other tests running in parallel (each with a meter of its own or another factory) are never heard.
/// </summary>
internal sealed class ScopedMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    /// <summary>
    /// Starts a listener that records every long measurement of the named instrument on a meter named <paramref name="meterName"/>
    /// that this factory created, with its tags.
    /// </summary>
    public MeterListener Listen(string meterName, string instrumentName, List<(long Value, Dictionary<string, object?> Tags)> measurements)
    {
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, this) && instrument.Meter.Name == meterName && instrument.Name == instrumentName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (measurements)
            {
                measurements.Add((value, copy));
            }
        });
        listener.Start();
        return listener;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }
        }
    }
}
