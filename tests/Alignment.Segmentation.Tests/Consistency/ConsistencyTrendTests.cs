using Alignment.Handoff;
using Alignment.Segmentation.Consistency;

namespace Alignment.Segmentation.Tests.Consistency;

public sealed class ConsistencyTrendTests
{
    private const string Clinics = "payroll automation clinics";
    private const string Retail = "inventory forecasting stores";
    private static readonly SegmentId ClinicSegment = new("clinics");
    private static readonly SegmentId RetailSegment = new("retail");

    private static ConsistencyTest Test(string id, int month, string repBAnswer) => new(id, new DateTimeOffset(2026, month, 1, 0, 0, 0, TimeSpan.Zero),
    [
        new ValuePropositionSurvey(ClinicSegment, Clinics, [new RepAnswer(new RepId("rep-a"), Clinics), new RepAnswer(new RepId("rep-b"), repBAnswer)]),
        new ValuePropositionSurvey(RetailSegment, Retail, [new RepAnswer(new RepId("rep-a"), Retail), new RepAnswer(new RepId("rep-c"), "Inventory forecasting, stores!")]),
    ]);

    [Fact]
    public void A_rep_whose_answer_drifts_over_two_tests_is_named_with_the_segment_and_the_figures_are_the_hand_checked_ones()
    {
        // Hand-checked: an answer with the canonical words scores 1, one sharing no word scores 0 (cosine of TF-IDF vectors).
        var trend = ConsistencyTrend.Track([Test("2026-Q2", 4, "cheap hosting websites"), Test("2026-Q1", 1, Clinics)], driftThreshold: 0.2);

        Assert.Equal(["2026-Q1", "2026-Q2"], trend.Tests.Select(t => t.Id));
        var q1 = trend.Tests[0];
        var q2 = trend.Tests[1];
        Assert.Equal(1, q1.Report.Overall, 9);
        Assert.Equal(0.75, q2.Report.Overall, 9);
        Assert.Equal([("clinics", 0.5), ("retail", 1.0)], q2.Report.Segments.Select(s => (s.Segment.Value, Math.Round(s.Index, 9))));
        Assert.Equal([("clinics", 1.0), ("retail", 1.0)], q1.PeerIndex.Select(p => (p.Key.Value, Math.Round(p.Value, 9))));
        Assert.Equal([("clinics", 0.0), ("retail", 1.0)], q2.PeerIndex.Select(p => (p.Key.Value, Math.Round(p.Value, 9))));

        var rep = Assert.Single(trend.DriftingReps);
        Assert.Equal(("rep-b", "2026-Q1", "2026-Q2"), (rep.Name, rep.PreviousTestId, rep.LatestTestId));
        Assert.Equal(1, rep.Drop, 9);
        var segment = Assert.Single(trend.DriftingSegments);
        Assert.Equal("clinics", segment.Name);
        Assert.Equal(0.5, segment.Drop, 9);
    }

    [Fact]
    public void No_drift_below_the_threshold_and_bad_input_is_refused()
    {
        var steady = ConsistencyTrend.Track([Test("q1", 1, Clinics), Test("q2", 4, Clinics)], 0.2);
        Assert.Empty(steady.DriftingReps);
        Assert.Empty(steady.DriftingSegments);
        Assert.Empty(ConsistencyTrend.Track([Test("q1", 1, "cheap hosting websites")], 0.2).DriftingReps);

        Assert.Throws<ArgumentException>(() => ConsistencyTrend.Track([Test("q1", 1, Clinics), Test("q1", 4, Clinics)], 0.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsistencyTrend.Track([], 0));
        Assert.Throws<ArgumentNullException>(() => ConsistencyTrend.Track(null!, 0.2));
    }
}
