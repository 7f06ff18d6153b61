using Alignment.Cli.TestPlugin;
using Alignment.Handoff;

namespace Alignment.Testing.Tests;

/// <summary>The kit's checks of routing plugins: the samples pass, broken ones are caught naming the promise and the lead.</summary>
public sealed class RoutingKitTests
{
    [Fact]
    public void SamplePlugins_KeepEveryPromise()
    {
        Assert.Equal(200, RuleKit.CheckRoutingStrategy(new SeniorFirstStrategy()));
        Assert.Equal(200, RuleKit.CheckRoutingCondition(new PublicSectorCondition()));
    }

    [Fact]
    public void StrategyChoosingOutsideTheEligibleReps_IsCaught()
    {
        var ex = Assert.Throws<RulePromiseException>(() => RuleKit.CheckRoutingStrategy(new OffTheEnd()));

        Assert.Equal((RulePromise.ChoosesAnEligibleRep, "kit-0"), (ex.Promise, ex.LeadId.Value));
        Assert.Equal("Promise 'ChoosesAnEligibleRep' broken by routing strategy 'off-the-end' for lead 'kit-0': chose 1 among 1 eligible reps; expected an index below that, or -1", ex.Message);
    }

    [Fact]
    public void NonDeterministicCondition_IsCaught()
    {
        var ex = Assert.Throws<RulePromiseException>(() => RuleKit.CheckRoutingCondition(new Alternating()));

        Assert.Equal(RulePromise.Deterministic, ex.Promise);
        Assert.StartsWith("Promise 'Deterministic' broken by routing condition 'alternating' for lead 'kit-", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AllocatingCondition_IsCaught()
    {
        var ex = Assert.Throws<RulePromiseException>(() => RuleKit.CheckRoutingCondition(new Allocating()));

        Assert.Equal((RulePromise.NoAllocationPerLead, "kit-0"), (ex.Promise, ex.LeadId.Value));
    }

    private sealed class OffTheEnd : IRoutingStrategy
    {
        public string Name => "off-the-end";

        public int Choose(in RoutingPluginLead lead, ReadOnlySpan<RepId> eligible) => eligible.Length;
    }

    private sealed class Alternating : IRoutingCondition
    {
        private int _calls;

        public string Name => "alternating";

        public bool Matches(in RoutingPluginLead lead) => Interlocked.Increment(ref _calls) % 2 == 0;
    }

    private sealed class Allocating : IRoutingCondition
    {
        public string Name => "allocating";

        public bool Matches(in RoutingPluginLead lead) => (lead.LeadId.Value + "x").Length > 3;
    }
}
