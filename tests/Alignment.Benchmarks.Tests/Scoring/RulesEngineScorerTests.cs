using Alignment.Benchmarks.Scoring;
using RulesEngine.Models;

namespace Alignment.Benchmarks.Tests.Scoring;

public sealed class RulesEngineScorerTests(PeerWorkloadFixture workload) : IClassFixture<PeerWorkloadFixture>
{
    [Fact]
    public void Workflows_EmbeddedDocument_HasTheFortyRulesWithTheirPoints()
    {
        Workflow workflow = Assert.Single(new RulesEngineScorer().Workflows);
        Assert.Equal(RulesEngineScorer.WorkflowName, workflow.WorkflowName);
        Assert.Equal(
            PeerRules.All.Select(r => (r.Name, r.Points.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            workflow.Rules.Select(r => (r.RuleName, r.SuccessEvent)));
    }

    [Fact]
    public async Task ScoreAsync_EveryLeadOfTheWorkload_EqualsTheReferenceEvaluator()
    {
        var scorer = new RulesEngineScorer();
        int[] expected = workload.ReferenceScores;
        for (int i = 0; i < workload.PeerLeads.Length; i++)
        {
            int actual = await scorer.ScoreAsync(workload.PeerLeads[i]);
            Assert.True(expected[i] == actual, $"lead{i}: expected {expected[i]}, got {actual}");
        }
    }
}
