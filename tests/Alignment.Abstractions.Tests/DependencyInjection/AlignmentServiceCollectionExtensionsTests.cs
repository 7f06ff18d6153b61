using Alignment.Decisions;
using Alignment.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Abstractions.Tests.DependencyInjection;

public sealed class AlignmentServiceCollectionExtensionsTests
{
    [Fact]
    public void AddAlignment_Empty_RegistersDefaultsAsSingletons()
    {
        var services = new ServiceCollection();

        var builder = services.AddAlignment();

        Assert.Same(services, builder.Services);
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.IsType<InMemoryDecisionSink>(provider.GetRequiredService<IDecisionSink>());
        Assert.IsType<InMemoryLifecycleStore>(provider.GetRequiredService<ILifecycleStore>());
        Assert.Same(provider.GetRequiredService<IDecisionSink>(), provider.GetRequiredService<IDecisionSink>());
        Assert.Same(provider.GetRequiredService<ILifecycleStore>(), provider.GetRequiredService<ILifecycleStore>());
    }

    [Fact]
    public void AddAlignment_CalledTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();

        services.AddAlignment();
        services.AddAlignment();

        Assert.Single(services, d => d.ServiceType == typeof(TimeProvider));
        Assert.Single(services, d => d.ServiceType == typeof(IDecisionSink));
        Assert.Single(services, d => d.ServiceType == typeof(ILifecycleStore));
        Assert.All(services, d => Assert.Equal(ServiceLifetime.Singleton, d.Lifetime));
    }

    [Fact]
    public void AddAlignment_HostRegisteredFirst_HostRegistrationWins()
    {
        var time = new FakeTimeProvider();
        var sink = new RecordingSink();
        var store = new InMemoryLifecycleStore();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton<IDecisionSink>(sink);
        services.AddSingleton<ILifecycleStore>(store);

        services.AddAlignment();

        using var provider = services.BuildServiceProvider();
        Assert.Same(time, provider.GetRequiredService<TimeProvider>());
        Assert.Same(sink, provider.GetRequiredService<IDecisionSink>());
        Assert.Same(store, provider.GetRequiredService<ILifecycleStore>());
        Assert.Single(provider.GetServices<IDecisionSink>());
    }

    [Fact]
    public void AddAlignment_WithConfigure_PassesABuilderOverTheSameServices()
    {
        var services = new ServiceCollection();
        IAlignmentBuilder? seen = null;

        var returned = services.AddAlignment(b => seen = b);

        Assert.Same(services, returned);
        Assert.NotNull(seen);
        Assert.Same(services, seen.Services);
        Assert.Single(services, d => d.ServiceType == typeof(IDecisionSink));
    }

    [Fact]
    public void AddAlignment_NullArguments_Throw()
    {
        Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddAlignment()).ParamName);
        Assert.Equal("services", Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddAlignment(_ => { })).ParamName);
        Assert.Equal("configure", Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddAlignment(null!)).ParamName);
    }

    private sealed class RecordingSink : IDecisionSink
    {
        public ValueTask PublishAsync(AlignmentDecision decision, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
