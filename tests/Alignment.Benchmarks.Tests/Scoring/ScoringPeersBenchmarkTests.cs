using Alignment.Benchmarks.Scoring;

namespace Alignment.Benchmarks.Tests.Scoring;

public sealed class ScoringPeersBenchmarkTests
{
    [Fact]
    public async Task Methods_AfterSetup_ReturnTheSameScoreSumAsTheReferenceEvaluator()
    {
        var benchmark = new ScoringPeersBenchmark();
        benchmark.Setup();
        long expected = PeerWorkload.CreatePeerLeads(ScoringPeersBenchmark.LeadCount).Sum(l => (long)PeerRules.Score(l));

        // 545,926 was computed by an independent Python evaluation of the specification's rules.json over the same 10,000 leads.
        Assert.Equal(545_926, expected);
        Assert.Equal(expected, benchmark.HandWritten());
        Assert.Equal(expected, await benchmark.RulesEngine());
        Assert.Equal(expected, benchmark.NRules());
        Assert.Equal(expected, benchmark.NRules());
    }
}
