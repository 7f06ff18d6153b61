using Alignment.Handoff;
using Alignment.Segmentation.Consistency;

namespace Alignment.Segmentation.Tests.Consistency;

public sealed class MessageConsistencyTests
{
    [Fact]
    public void Tokenize_LowercasesFoldsAccentsDropsStopWordsAndSingleLetters()
    {
        Assert.Equal(["fast", "cafe", "payroll", "10x", "team"], TextNormalizer.Tokenize("The FAST Café-payroll, for a 10x team!").ToArray());
    }

    [Fact]
    public void Similarity_HandCheckedValues()
    {
        Assert.Equal(1.0, MessageConsistency.Similarity("Fast payroll for small teams", "fast PAYROLL, small teams."), 12);
        Assert.Equal(0.0, MessageConsistency.Similarity("Fast payroll", "Cheap accounting"));
        // Corpus of 2: idf(fast) = ln(3/3) + 1 = 1, idf(payroll) = idf(reports) = ln(3/2) + 1.
        // cos = 1 / (1 + (ln 1.5 + 1)^2).
        double w = Math.Log(1.5) + 1;
        Assert.Equal(1 / (1 + (w * w)), MessageConsistency.Similarity("Fast payroll", "fast reports"), 12);
        Assert.Equal(0.0, MessageConsistency.Similarity("the and of", "fast"));
    }

    [Fact]
    public void Analyze_IndexesPerSegmentAndRep_AndListsTheMostDivergent()
    {
        var ann = new RepId("ann");
        var bob = new RepId("bob");
        var cy = new RepId("cy");
        var surveys = new[]
        {
            new ValuePropositionSurvey(new SegmentId("smb"), "Fast payroll", [new(ann, "fast payroll"), new(bob, "cheap accounting")]),
            new ValuePropositionSurvey(new SegmentId("ent"), "Fast payroll", [new(ann, "Fast payroll!"), new(cy, "fast reports")]),
        };

        var report = MessageConsistency.Analyze(surveys, divergentCount: 2);

        // ent corpus: "fast payroll" ×2 and "fast reports": idf(fast) = ln(4/4) + 1 = 1, idf(payroll) = ln(4/3) + 1, idf(reports) = ln(4/2) + 1.
        double p = Math.Log(4.0 / 3) + 1, r = Math.Log(2) + 1;
        double cy_ = 1 / Math.Sqrt((1 + (p * p)) * (1 + (r * r)));
        Assert.Equal(0.5, report.Segments[0].Index, 12);
        Assert.Equal((1 + cy_) / 2, report.Segments[1].Index, 12);
        Assert.Equal(["bob", "cy", "ann"], report.Reps.Select(x => x.Rep.Value));
        Assert.Equal(0.0, report.Reps[0].Index);
        Assert.Equal(cy_, report.Reps[1].Index, 12);
        Assert.Equal(1.0, report.Reps[2].Index, 12);
        Assert.Equal(2, report.Reps.Single(x => x.Rep == ann).Answers);
        Assert.Equal([("bob", "smb"), ("cy", "ent")], report.MostDivergent.Select(d => (d.Rep.Value, d.Segment.Value)));
        Assert.Equal((1 + 0 + 1 + cy_) / 4, report.Overall, 12);
    }
}
