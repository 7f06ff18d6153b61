using Alignment.Lifecycle;
using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Nurture;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Nurture;
using Alignment.Policies.Nurture.Campaigns;
using Alignment.Policies.Tests.Nurture.TestDoubles;
using Alignment.Scoring;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alignment.Policies.Tests.Nurture;

public sealed class NurtureAlignmentBuilderExtensionsTests
{
    [Fact]
    public void NurtureOptions_DefaultInstanceId_NamesThisMachineAndProcess_AndIsNotTheOldSharedDefault()
    {
        string id = new NurtureOptions().InstanceId;

        Assert.NotEqual("nurture", id);
        Assert.StartsWith($"{Environment.MachineName}/{Environment.ProcessId}/", id, StringComparison.Ordinal);
        Assert.Equal(id, new NurtureOptions().InstanceId); // one id per process
    }

    [Fact]
    public async Task AddNurture_ValidPolicy_ResolvesTheEngineAsINurturePolicy_WithInMemoryDefaults()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILeadScorer, StubScorer>();
        services.AddAlignment(a => a.AddNurture(o => o.PolicyJson = NurtureHarness.PolicyJson));
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var policy = provider.GetRequiredService<INurturePolicy>();
        var enrolment = await policy.EnrolAsync(new Lead(new LeadId("l1")), NurtureEntryReason.NeverEngaged);

        Assert.Same(provider.GetRequiredService<NurtureEngine>(), policy);
        Assert.Equal("default", enrolment.TrackId);
        Assert.IsType<InMemoryNurtureStore>(provider.GetRequiredService<INurtureStore>());
        Assert.IsType<InMemoryCampaignStore>(provider.GetRequiredService<ICampaignStore>());
        Assert.Equal(0, (await provider.GetRequiredService<LifecycleAudit>().RunAsync([new LeadId("l1")])).LeadsWithoutOwnerOrTrack);
    }

    [Fact]
    public async Task UseInMemoryDecisionOutbox_TheStoresRecordEnrolmentsAndStageChanges_AndTheEngineSendsNoneToTheSink()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILeadScorer, StubScorer>();
        services.AddAlignment(a => a.UseInMemoryDecisionOutbox().AddNurture(o => o.PolicyJson = NurtureHarness.PolicyJson));
        using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<INurturePolicy>().EnrolAsync(new Lead(new LeadId("l1")), NurtureEntryReason.NeverEngaged);

        Assert.True(provider.GetRequiredService<INurtureStore>().RecordsDecisions);
        Assert.True(provider.GetRequiredService<ILifecycleStore>().RecordsDecisions);
        Assert.Empty(((InMemoryDecisionSink)provider.GetRequiredService<IDecisionSink>()).Decisions);
        var relayed = new InMemoryDecisionSink();
        await new DecisionRelay(provider.GetRequiredService<IDecisionOutbox>(), relayed).DeliverPendingAsync();
        Assert.Contains("enrolled:l1:1", relayed.Decisions.Select(d => d.IdempotencyKey));
        Assert.All(relayed.Decisions, d => Assert.Equal("l1", d.LeadId?.Value));
    }

    [Fact]
    public async Task AddNurture_WithAddHandoff_ResolvesBothWithoutACycle()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILeadScorer, StubScorer>();
        services.AddAlignment(a => a
            .AddHandoff(o =>
            {
                o.PolicyJson = """{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "r", "strategy": "roundRobin", "pool": { "teams": ["ae"] } } ] }""";
                o.RosterJson = """{ "reps": [ { "id": "a", "team": "ae" } ] }""";
            })
            .Services.AddAlignment(b => b.AddNurture(o => o.PolicyJson = NurtureHarness.PolicyJson)));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        // Both resolved in either order, quickly: before the fix each waited on the other forever.
        var resolve = Task.Run(() => (provider.GetRequiredService<INurturePolicy>(), provider.GetRequiredService<Alignment.Handoff.IHandoffPolicy>()));
        Assert.Same(resolve, await Task.WhenAny(resolve, Task.Delay(TimeSpan.FromSeconds(20))));
        var (nurture, handoff) = await resolve;
        Assert.Same(provider.GetRequiredService<NurtureEngine>(), nurture);
        Assert.Same(provider.GetRequiredService<Alignment.Policies.Handoff.HandoffRouter>(), handoff);
    }

    [Fact]
    public void AddHandoffAndAddNurture_FromConfigurationSections_BindTheOptions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Alignment:Handoff:PolicyJson"] = """{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "r", "strategy": "roundRobin", "pool": { "teams": ["ae"] } } ] }""",
            ["Alignment:Handoff:RosterJson"] = """{ "reps": [ { "id": "a", "team": "ae" } ] }""",
            ["Alignment:Nurture:PolicyJson"] = NurtureHarness.PolicyJson,
            ["Alignment:Nurture:BatchSize"] = "250",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<ILeadScorer, StubScorer>();
        services.AddAlignment(a => a.AddHandoff(configuration.GetSection("Alignment:Handoff")).AddNurture(configuration.GetSection("Alignment:Nurture")));
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(250, provider.GetRequiredService<IOptions<NurtureOptions>>().Value.BatchSize);
        Assert.NotNull(provider.GetRequiredService<Alignment.Policies.Handoff.HandoffRouter>());
        Assert.NotNull(provider.GetRequiredService<NurtureEngine>());
    }

    [Fact]
    public void AddNurture_FromAConfigurationSection_BindsEverySettingButTheCompiledPolicy()
    {
        // The section is bound setting by setting (the binding source generator cannot bind NurtureOptions.Policy): a setting
        // added to NurtureOptions must be bound there too, and given a key here.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["PolicyJson"] = NurtureHarness.PolicyJson,
            ["Limits:MaxDepth"] = "12",
            ["InstanceId"] = "nurture-2",
            ["LeaseDuration"] = "00:02:00",
            ["BatchSize"] = "250",
            ["MissingLeadRetry"] = "06:00:00",
        }).Build();
        var services = new ServiceCollection();
        services.AddAlignment(a => a.AddNurture(configuration));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<NurtureOptions>>().Value;

        var defaults = new NurtureOptions();
        var unbound = typeof(NurtureOptions).GetProperties()
            .Where(p => p.CanWrite && p.Name != nameof(NurtureOptions.Policy) && Equals(p.GetValue(options), p.GetValue(defaults)))
            .Select(p => p.Name);
        Assert.Empty(unbound);
        Assert.Equal(NurtureHarness.PolicyJson, options.PolicyJson);
        Assert.Equal(12, options.Limits?.MaxDepth);
        Assert.Equal(ModelReadLimits.DefaultMaxBytes, options.Limits?.MaxBytes);
        Assert.Equal("nurture-2", options.InstanceId);
        Assert.Equal(TimeSpan.FromMinutes(2), options.LeaseDuration);
        Assert.Equal(250, options.BatchSize);
        Assert.Equal(TimeSpan.FromHours(6), options.MissingLeadRetry);
        Assert.Null(options.Policy);
    }

    [Fact]
    public void AddNurture_InvalidOptions_FailStartupValidationNamingEveryProblem()
    {
        var services = new ServiceCollection();
        services.AddAlignment(a => a.AddNurture(o =>
        {
            o.PolicyJson = """{ "id": "p", "version": "1", "tracks": [ { "id": "t", "segments": ["smb"], "cadenceDays": 7, "onExhausted": "t", "steps": [ { "id": "s", "kind": "email" } ] } ] }""";
            o.BatchSize = 0;
            o.LeaseDuration = TimeSpan.Zero;
        }));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(
        [
            "PolicyJson: $.tracks[0].steps[0].topic: required for an e-mail step; name the collateral topic to send",
            "PolicyJson: $.tracks: no catch-all track (a track with no 'segments' and no 'entryReasons'); a lead that matches no other track would be left without a track",
            "LeaseDuration: must be between 1 second and 1 day (was 00:00:00)",
            "BatchSize: must be between 1 and 100000 (was 0)",
        ],
        ex.Failures.Select(f => f.Replace("Property ", string.Empty, StringComparison.Ordinal)));
    }

    [Fact]
    public void AddNurture_WithoutAScorer_ExplainsWhatIsMissing()
    {
        var services = new ServiceCollection();
        services.AddAlignment(a => a.AddNurture(o => o.PolicyJson = NurtureHarness.PolicyJson));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<NurtureEngine>());

        Assert.Equal("The nurture engine needs an ILeadScorer for its MQL exit: add scoring (AddScoring) or register your own ILeadScorer.", ex.Message);
    }

    [Fact]
    public void AddNurture_CalledTwice_RegistersOneEngine_LastConfigurationWins()
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILeadScorer, StubScorer>();
        services.AddAlignment(a => a.AddNurture(o => o.PolicyJson = NurtureHarness.PolicyJson).AddNurture(o => o.BatchSize = 7));
        using var provider = services.BuildServiceProvider();

        Assert.Single(services, d => d.ServiceType == typeof(NurtureEngine));
        Assert.Equal(7, provider.GetRequiredService<IOptions<NurtureOptions>>().Value.BatchSize);
        Assert.Equal("test-nurture", provider.GetRequiredService<NurtureEngine>().Policy.Id);
    }

    [Fact]
    public void AddNurture_PolicyOverTheConfiguredLimits_FailsStartupValidationNamingTheLimit()
    {
        var services = new ServiceCollection();
        services.AddAlignment(a => a.AddNurture(o =>
        {
            o.PolicyJson = """{ "id": "p", "version": "1", "tracks": [] }""";
            o.Limits = new Alignment.Models.ModelReadLimits { MaxBytes = 20 };
        }));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(ex.Failures, f => f.Contains("ModelReadLimits.MaxBytes", StringComparison.Ordinal));
    }
}
