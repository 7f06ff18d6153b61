using Alignment.Benchmarks.Scoring;
using Alignment.Leads;

namespace Alignment.Benchmarks.Tests.Scoring;

public sealed class HandWrittenScorerTests(PeerWorkloadFixture workload) : IClassFixture<PeerWorkloadFixture>
{
    [Fact]
    public void Score_EveryLeadOfTheWorkload_EqualsTheReferenceEvaluator()
    {
        var scorer = new HandWrittenScorer(PeerAttributes.Schema);
        Lead[] leads = workload.Leads;
        int[] expected = workload.ReferenceScores;
        for (int i = 0; i < leads.Length; i++)
        {
            Assert.True(expected[i] == scorer.Score(leads[i]), $"lead{i}: expected {expected[i]}, got {scorer.Score(leads[i])}");
        }
    }

    [Fact]
    public void Score_LeadWithNothingSet_CountsNoRule()
    {
        var scorer = new HandWrittenScorer(PeerAttributes.Schema);
        var lead = new Lead(new LeadId("empty")) { Attributes = PeerAttributes.Schema.CreateBuilder().Build() };
        Assert.Equal(0, scorer.Score(lead));
    }

    [Fact]
    public void Constructor_SchemaWithoutTheAttributes_ThrowsNamingTheAttribute()
    {
        var error = Assert.Throws<ArgumentException>(() => new HandWrittenScorer(AttributeSchema.Empty));
        Assert.Contains("emailOpens30d", error.Message, StringComparison.Ordinal);
    }
}
