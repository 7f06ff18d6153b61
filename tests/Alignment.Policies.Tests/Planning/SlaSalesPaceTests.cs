using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Metrics;
using Alignment.Policies.Planning;
using Alignment.Segmentation;

namespace Alignment.Policies.Tests.Planning;

/// <summary>Sales' side of the agreement in the running period: what is still pending, and whether the commitment can still be kept.</summary>
public sealed class SlaSalesPaceTests
{
    private static DateTimeOffset D(int day, int hour = 0) => new(2026, 3, day, hour, 0, 0, TimeSpan.Zero);

    private static FunnelLead Mql(string id, DateTimeOffset mqlAt, DateTimeOffset? touch, DateTimeOffset? acceptedAt = null)
    {
        var lifecycle = LeadLifecycle.Start(new LeadId(id)).Transition(LifecycleStage.MarketingQualified, mqlAt, LifecycleActor.Marketing, "test");
        if (acceptedAt is { } a)
        {
            lifecycle = lifecycle.Transition(LifecycleStage.SalesAccepted, a, LifecycleActor.Sales, "test");
        }

        return new FunnelLead(lifecycle, mqlAt.AddDays(-1)) { Segment = new SegmentId("smb"), FirstSalesTouchAt = touch };
    }

    private static readonly ServiceLevelAgreement Agreement = new()
    {
        MarketingCommitments = [new MqlCommitment(10)],
        FirstTouchWithin = TimeSpan.FromHours(24),
        FirstTouchShare = 0.75,
        DispositionWithin = TimeSpan.FromDays(5),
        DispositionShare = 0.5,
    };

    [Fact]
    public void RunningPeriod_CountsThePending_AndTheBestShareTheyCanStillReach()
    {
        // Measured on 10 March, 12:00. First touch within 24 h:
        //   a (MQL 2 Mar, touched in 2 h): met;        b (MQL 3 Mar, touched after 30 h): missed;
        //   c (MQL 4 Mar, never touched, out of time): missed;   d (MQL 10 Mar 08:00, not yet touched): pending;
        //   e (MQL 10 Mar 09:00, touched at 10:00): met.
        // Measured 4 (a, b, c, e), met 2: share 0.5 < 0.75, behind. Pending 1 (d): at best (2 + 1) / (4 + 1) = 0.6 < 0.75,
        // so the commitment can no longer be kept on the month's MQLs so far.
        // Disposition within 5 days: a accepted 4 Mar (met), b accepted 9 Mar (6 days: missed), c out of time on 9 Mar (missed);
        // d and e are inside their 5 days: pending 2. Measured 3, met 1: share 0.3333 < 0.5, behind; best (1 + 2) / (3 + 2) = 0.6.
        List<FunnelLead> leads =
        [
            Mql("a", D(2), D(2, 2), D(4)),
            Mql("b", D(3), D(4, 6), D(9)),
            Mql("c", D(4), null),
            Mql("d", D(10, 8), null),
            Mql("e", D(10, 9), D(10, 10)),
        ];

        var march = Assert.Single(SlaAttainment.Compute(leads, Agreement, D(10, 12)).Periods);

        var touch = march.FirstTouch;
        Assert.Equal((5, 4, 2, 0.5, SlaPace.Behind, 1, 0.6), (touch.Mqls, touch.Measured, touch.Met, touch.Share!.Value, touch.Pace, touch.Pending, touch.BestShare!.Value));
        Assert.Equal(["b", "c"], touch.Misses.Select(id => id.Value));
        var disposition = march.Disposition;
        Assert.Equal((3, 1, 0.3333, SlaPace.Behind, 2, 0.6), (disposition.Measured, disposition.Met, disposition.Share!.Value, disposition.Pace, disposition.Pending, disposition.BestShare!.Value));

        // Once the month is over nothing is pending: the best share is the share.
        var closed = SlaAttainment.Compute(leads, Agreement, new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero)).Periods[0];
        Assert.Equal((0, closed.FirstTouch.Share, SlaPace.Missed), (closed.FirstTouch.Pending, closed.FirstTouch.BestShare, closed.FirstTouch.Pace));
        Assert.Equal((0, 0.4), (closed.FirstTouch.Pending, closed.FirstTouch.Share!.Value)); // d's time ran out untouched: 2 of 5
    }
}
