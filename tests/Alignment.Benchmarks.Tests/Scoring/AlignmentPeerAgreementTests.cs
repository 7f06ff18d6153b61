using Alignment.Benchmarks.Scoring;
using Alignment.Scoring;

namespace Alignment.Benchmarks.Tests.Scoring;

/// <summary>Alignment's three paths (objects, encoded, parallel) give the reference score for every lead of the peer workload.</summary>
public sealed class AlignmentPeerAgreementTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Alignment_AgreesWithTheReferenceAndHandWritten_OnEveryLead()
    {
        var peers = PeerWorkload.CreatePeerLeads(ScoringPeersBenchmark.LeadCount);
        var leads = PeerWorkload.ToLeads(peers);
        var model = ScoringPeersModel.Compile();
        var handWritten = new HandWrittenScorer(PeerAttributes.Schema);
        var batch = new LeadScore[leads.Length];
        var encoded = new LeadScore[leads.Length];
        var parallel = new LeadScore[leads.Length];
        model.ScoreBatch(leads, LeadActivities.None, AsOf, batch);
        var enc = model.Encode(leads);
        model.ScoreEncoded(enc, LeadActivities.None, AsOf, encoded);
        model.ScoreEncodedParallel(enc, AsOf, parallel);
        int mismatches = 0;
        for (int i = 0; i < leads.Length; i++)
        {
            decimal expected = PeerRules.Score(peers[i]);
            Assert.Equal(expected, handWritten.Score(leads[i]));
            if (batch[i].Total != expected || encoded[i].Total != expected || parallel[i].Total != expected)
            {
                mismatches++;
            }

            if (i % 97 == 0)
            {
                var card = model.Score(leads[i], [], AsOf);
                Assert.Equal(expected, card.Total);
                Assert.Equal(card.Total, card.Explanation.Sum(c => c.Points));
            }
        }

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void Benchmark_AlignmentMethods_ReturnTheReferenceSum()
    {
        var bench = new ScoringPeersBenchmark();
        bench.Setup();
        long expected = bench.HandWritten();
        Assert.Equal(expected, bench.Alignment());
        Assert.Equal(expected, bench.AlignmentEncoded());
        Assert.Equal(expected, bench.AlignmentParallel());
    }
}
