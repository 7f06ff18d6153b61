using Alignment.Handoff;
using Alignment.Models;
using Alignment.Policies.Handoff;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Alignment.Policies.Tests.Handoff;

public sealed class HandoffAlignmentBuilderExtensionsTests
{
    private const string Roster = """{ "reps": [ { "id": "a", "team": "ae" } ] }""";
    private const string Policy = """{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "r", "strategy": "roundRobin", "pool": { "teams": ["ae"] } } ] }""";

    [Fact]
    public async Task AddHandoff_ValidOptions_ResolvesARouterOverTheInMemoryStore()
    {
        var services = new ServiceCollection();
        services.AddAlignment(a => a.AddHandoff(o => { o.PolicyJson = Policy; o.RosterJson = Roster; }));
        await using var provider = services.BuildServiceProvider();

        var policy = provider.GetRequiredService<IHandoffPolicy>();
        var decision = await policy.RouteAsync(HandoffTestData.Request("1"));

        Assert.Same(provider.GetRequiredService<HandoffRouter>(), policy);
        Assert.IsType<InMemoryRoutingStateStore>(provider.GetRequiredService<IRoutingStateStore>());
        Assert.Equal("a", Assert.IsType<HandoffDecision.Assigned>(decision).Rep.Value);
    }

    [Fact]
    public void AddHandoff_InvalidPolicy_FailsValidationListingEveryProblem()
    {
        var services = new ServiceCollection();
        services.AddAlignment().AddHandoff(o =>
        {
            o.PolicyJson = """{ "id": "p", "fallbackQueue": "q", "rules": [ { "id": "r", "strategy": "roundRobin", "pool": { "reps": ["ghost"] } } ] }""";
            o.RosterJson = """{ "reps": [ { "id": "a", "team": "ae", "maxOpenLeads": -2 } ] }""";
        });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HandoffOptions>>().Value);

        Assert.Contains("roster $.reps[0].maxOpenLeads: a cap cannot be negative (was -2); the allowed range is 0 to 1,000,000", ex.Failures);
        Assert.Contains("policy $.rules[0].pool.reps[0]: unknown rep id 'ghost'", ex.Failures);
    }

    [Fact]
    public void AddHandoff_NoPolicy_FailsValidation()
    {
        var services = new ServiceCollection();
        services.AddAlignment().AddHandoff(_ => { });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HandoffOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains("a routing policy is required", StringComparison.Ordinal));
    }

    [Fact]
    public void AddHandoff_PolicyOverTheConfiguredLimits_FailsValidationNamingTheLimit()
    {
        var services = new ServiceCollection();
        services.AddAlignment().AddHandoff(o => { o.PolicyJson = Policy; o.RosterJson = Roster; o.Limits = new ModelReadLimits { MaxBytes = 20 }; });
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HandoffOptions>>().Value);

        Assert.Contains(ex.Failures, f => f.Contains("ModelReadLimits.MaxBytes", StringComparison.Ordinal));
    }
}
