using Alignment.Leads;
using Alignment.Models;
using Alignment.Segmentation.Collateral;
using Alignment.Segmentation.DependencyInjection;
using Alignment.Segmentation.Playbooks;
using Alignment.Segmentation.Rules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Segmentation.Tests.DependencyInjection;

public sealed class SegmentationAlignmentBuilderExtensionsTests
{
    [Fact]
    public void AddSegmentation_ModelJson_ResolvesModelSegmenterLibraryAndAdvisor()
    {
        var now = new DateTimeOffset(2026, 1, 31, 0, 0, 0, TimeSpan.Zero);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(now));
        services.AddAlignment(a => a.AddSegmentation(o => o.ModelJson = TestData.ModelJson).AddSegmentation(o => o.CollateralExpiryMonths = 6));
        using var provider = services.BuildServiceProvider();
        var model = provider.GetRequiredService<SegmentationModel>();
        Assert.Same(model, provider.GetRequiredService<ISegmenter>());
        Assert.NotNull(provider.GetRequiredService<PlaybookAdvisor>());
        var library = provider.GetRequiredService<CollateralLibrary>();
        Assert.Equal(6, provider.GetRequiredService<IOptions<SegmentationOptions>>().Value.CollateralExpiryMonths);
        Assert.Equal(now.AddMonths(6), library.Add(new CollateralDraft("i", "t", "o", [new SegmentId("general")])).ExpiresAt);
    }

    [Fact]
    public void AddSegmentation_FromAConfigurationSection_BindsTheOptions()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Alignment:Segmentation:ModelJson"] = TestData.ModelJson })
            .Build();
        var services = new ServiceCollection();
        services.AddAlignment(a => a.AddSegmentation(configuration.GetSection("Alignment:Segmentation")));
        using var provider = services.BuildServiceProvider();
        Assert.Equal(TestData.ModelJson, provider.GetRequiredService<IOptions<SegmentationOptions>>().Value.ModelJson);
        Assert.NotNull(provider.GetRequiredService<SegmentationModel>());
    }

    [Fact]
    public void AddSegmentation_InvalidOptions_FailsValidationListingEveryProblem()
    {
        var services = new ServiceCollection();
        services.AddAlignment(a => a.AddSegmentation(o =>
        {
            o.CollateralExpiryMonths = 0;
            o.Clustering.Restarts = 0;
        }));
        using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SegmentationOptions>>().Value);
        Assert.Equal(
            [
                "Property ModelPath: exactly one of ModelPath and ModelJson must be set",
                "Property CollateralExpiryMonths: must be at least 1 (was 0)",
                "Property Clustering: Restarts must be at least 1 (was 0).",
            ],
            ex.Failures.ToArray());
    }

    [Fact]
    public void AddSegmentation_InvalidModel_ThrowsListingEveryProblemOnResolve()
    {
        var services = new ServiceCollection();
        services.AddAlignment(a => a.AddSegmentation(o => o.ModelJson = """{ "segments": [] }"""));
        using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<ModelException>(() => provider.GetRequiredService<ISegmenter>());
        Assert.Equal(["$.id", "$.default"], ex.Errors.Select(e => e.Path));
    }

    [Fact]
    public void AddSegmentation_ModelPathThatNeverEnds_FailsAtStartUpNamingTheLimit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /dev/zero
        }

        var services = new ServiceCollection();
        services.AddAlignment(a => a.AddSegmentation(o =>
        {
            o.ModelPath = "/dev/zero";
            o.Limits = new ModelReadLimits { MaxBytes = 1024 };
        }));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        string failure = Assert.Single(ex.Failures);
        Assert.Contains("/dev/zero", failure, StringComparison.Ordinal);
        Assert.Contains("the file is more than 1,024 bytes, over the limit of 1,024", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSegmentation_ModelFileOverTheLimits_IsRefusedOnResolveToo()
    {
        using var file = new TempModelFile("""{ "id": "m", "segments": [], "default": { "id": "rest" } }""");
        var options = new SegmentationOptions { ModelPath = file.Path, Limits = new ModelReadLimits { MaxBytes = 16 } };

        var ex = Assert.Throws<ModelException>(() => SegmentationModelFile.Load(options, AttributeSchema.Empty));

        Assert.Contains("over the limit of 16 (ModelReadLimits.MaxBytes", Assert.Single(ex.Errors).Message, StringComparison.Ordinal);
        options.Limits = null;
        Assert.Equal("m", SegmentationModelFile.Load(options, AttributeSchema.Empty).Id);
    }

    [Fact]
    public void AddSegmentation_ConditionsOnAttributes_UseTheSchemaInTheContainer()
    {
        const string Json = """
            { "id": "m", "segments": [ { "id": "intent", "when": [ { "field": "attributes.intentScore", "atLeast": 50 } ] } ], "default": { "id": "rest" } }
            """;
        var schema = new AttributeSchema([new AttributeDefinition("intentScore", AttributeKind.Number)]);
        var services = new ServiceCollection();
        services.AddSingleton(schema);
        services.AddAlignment(a => a.AddSegmentation(o => o.ModelJson = Json));
        using var provider = services.BuildServiceProvider();

        var model = provider.GetRequiredService<SegmentationModel>();

        Assert.Equal("m", model.Id);

        var without = new ServiceCollection();
        without.AddAlignment(a => a.AddSegmentation(o => o.ModelJson = Json));
        using var bare = without.BuildServiceProvider();
        var ex = Assert.Throws<ModelException>(() => bare.GetRequiredService<SegmentationModel>());
        Assert.Contains("intentScore", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSegmentation_CountsOnTheContainersMeterFactory()
    {
        using var meters = new ScopedMeters();
        var services = new ServiceCollection();
        services.AddSingleton<System.Diagnostics.Metrics.IMeterFactory>(meters);
        services.AddAlignment(a => a.AddSegmentation(o => o.ModelJson = """{ "id": "s", "segments": [], "default": { "id": "rest" } }"""));
        using var provider = services.BuildServiceProvider();
        long segmented = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name == "alignment.leads.segmented")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref segmented, value));
        listener.Start();

        provider.GetRequiredService<SegmentationModel>().Assign(new Lead(new LeadId("l1")), null);

        Assert.Equal(1, Interlocked.Read(ref segmented));
    }

    private sealed class ScopedMeters : System.Diagnostics.Metrics.IMeterFactory
    {
        private readonly List<System.Diagnostics.Metrics.Meter> _meters = [];

        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options)
        {
            var meter = new System.Diagnostics.Metrics.Meter(new System.Diagnostics.Metrics.MeterOptions(options.Name) { Scope = this });
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }

    private sealed class TempModelFile : IDisposable
    {
        public TempModelFile(string text)
        {
            Path = System.IO.Path.GetTempFileName();
            File.WriteAllText(Path, text);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }
}
