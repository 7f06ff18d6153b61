using System.Diagnostics.Metrics;
using Alignment.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using static Alignment.Scoring.Tests.TestData;

namespace Alignment.Scoring.Tests.Diagnostics;

/// <summary>
/// The models count through the host's <see cref="IMeterFactory"/> (what AddMetrics and OpenTelemetry's hosting register), not
/// through a static meter the host cannot scope or dispose.
/// </summary>
public sealed class ModelMeterFactoryTests
{
    private const string Sections = """
        "fit": [ {"id": "r", "points": 10, "when": {"field": "company.industry", "equals": "software"} } ]
        """;

    [Fact]
    public void AddScoring_CountsOnTheContainersMeterFactory()
    {
        using var meters = new RecordingMeterFactory();
        var services = new ServiceCollection();
        services.AddSingleton<IMeterFactory>(meters);
        services.AddSingleton(Schema);
        services.AddAlignment(a => a.AddScoring(o => o.ModelJson = Model(Sections)));
        using var provider = services.BuildServiceProvider();
        var counted = meters.Listen();

        provider.GetRequiredService<ScoringModel>().Score(Lead(), [], Now);

        Assert.Equal(1, counted.GetValueOrDefault("alignment.leads.scored"));
    }

    [Fact]
    public void ModelLoadedWithoutAFactory_DoesNotCountOnAnotherHostsFactory()
    {
        using var meters = new RecordingMeterFactory();
        var counted = meters.Listen();
        var model = ScoringModel.Load(Model(Sections), new ScoringModelOptions { Schema = Schema });
        var scoped = ScoringModel.Load(Model(Sections), new ScoringModelOptions { Schema = Schema, MeterFactory = meters });

        model.Score(Lead(), [], Now);
        scoped.Score(Lead(), [], Now);
        scoped.Score(Lead(), [], Now);

        Assert.Equal(2, counted.GetValueOrDefault("alignment.leads.scored"));
    }

    /// <summary>Creates meters scoped to itself and counts the measurements of its own meters only (tests run in parallel).</summary>
    private sealed class RecordingMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];
        private readonly List<MeterListener> _listeners = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(new MeterOptions(options.Name) { Version = options.Version, Tags = options.Tags, Scope = this });
            Assert.Equal(AlignmentDiagnostics.MeterName, meter.Name);
            lock (_meters)
            {
                _meters.Add(meter);
            }

            return meter;
        }

        public Dictionary<string, long> Listen()
        {
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            var listener = new MeterListener
            {
                InstrumentPublished = (instrument, l) =>
                {
                    if (ReferenceEquals(instrument.Meter.Scope, this))
                    {
                        l.EnableMeasurementEvents(instrument);
                    }
                },
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                lock (counts)
                {
                    counts[instrument.Name] = counts.GetValueOrDefault(instrument.Name) + value;
                }
            });
            listener.Start();
            _listeners.Add(listener);
            return counts;
        }

        public void Dispose()
        {
            _listeners.ForEach(l => l.Dispose());
            _meters.ForEach(m => m.Dispose());
        }
    }
}
