using Alignment.Benchmarks.Scoring;

namespace Alignment.Benchmarks.Tests.Scoring;

public sealed class NRulesScorerTests(PeerWorkloadFixture workload) : IClassFixture<PeerWorkloadFixture>
{
    [Fact]
    public void Definitions_OnePerPeerRule_InOrder()
    {
        var scorer = new NRulesScorer();
        Assert.Equal(PeerRules.All.Select(r => r.Name), scorer.Definitions.Select(d => d.Name));
    }

    [Fact]
    public void ScoreAll_EveryLeadOfTheWorkload_EqualsTheReferenceEvaluator()
    {
        var scorer = new NRulesScorer();
        var scores = new int[workload.PeerLeads.Length];
        long total = scorer.ScoreAll(workload.PeerLeads, scores);
        int[] expected = workload.ReferenceScores;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i] == scores[i], $"lead{i}: expected {expected[i]}, got {scores[i]}");
        }

        Assert.Equal(expected.Sum(s => (long)s), total);
    }

    [Fact]
    public void ScoreAll_PartialLastSession_ScoresEveryLead()
    {
        var scorer = new NRulesScorer();
        PeerLead[] leads = workload.PeerLeads[..2_345];
        var scores = new int[leads.Length];
        scorer.ScoreAll(leads, scores);
        Assert.Equal(leads.Select(PeerRules.Score), scores);
    }

    [Fact]
    public void ScoreAll_ScoresShorterThanLeads_Throws()
    {
        var scorer = new NRulesScorer();
        Assert.Throws<ArgumentOutOfRangeException>(() => scorer.ScoreAll(workload.PeerLeads, new int[10]));
    }
}
