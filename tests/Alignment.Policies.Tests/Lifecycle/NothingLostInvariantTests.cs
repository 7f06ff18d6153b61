using System.Collections.Immutable;
using Alignment.Activities;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Metrics;
using Alignment.Policies.Nurture;
using Alignment.Policies.Tests.Nurture.TestDoubles;
using Alignment.Segmentation;
using Xunit.Abstractions;

namespace Alignment.Policies.Tests.Lifecycle;

/// <summary>
/// Replays a year of generated lead histories (arrivals, engagement, unsubscribes, sales accept/reject, deals won and lost)
/// through the scoring stub, the routing stub and the nurture engine on a fake clock, and audits the "nothing lost" invariant
/// at the end of every simulated day.
/// </summary>
public sealed class NothingLostInvariantTests(ITestOutputHelper output)
{
    private const int Leads = 1200;
    private static readonly string[] Segments = ["smb", "mid-market", "enterprise"];
    private static readonly string[] Sources = ["Webinar", "Paid Search", "Trade Show", "Organic"];

    [Fact]
    public async Task A_year_of_lead_histories_never_leaves_a_lead_without_owner_or_track()
    {
        var h = new NurtureHarness(options: new NurtureOptions { BatchSize = 200 });
        var rng = new Random(20260105);
        var sim = new Dictionary<LeadId, SimLead>();
        var crmLeads = new List<LeadId>();
        var arrivals = Enumerable.Range(0, Leads).Select(i => (Day: rng.Next(0, 365), Index: i)).OrderBy(a => a.Day).ThenBy(a => a.Index).ToList();
        var next = 0;
        var stats = new Stats();

        for (var day = 0; day < 365; day++)
        {
            var now = h.Time.GetUtcNow();

            // 1. Capture today's leads: score them; MQLs go to handoff, the rest straight to nurture.
            for (; next < arrivals.Count && arrivals[next].Day == day; next++)
            {
                var i = arrivals[next].Index;
                var segment = Segments[i % Segments.Length];
                var lead = new Lead(new LeadId($"L{i:0000}")) { Source = Sources[rng.Next(Sources.Length)], Campaign = $"c{rng.Next(6)}", CreatedAt = now };
                var s = new SimLead(lead, new SegmentId(segment), rng.NextDouble() * 0.3);
                sim[lead.Id] = s;
                crmLeads.Add(lead.Id);
                var initial = Enumerable.Range(0, rng.Next(0, 7)).Select(k => new LeadActivity(ActivityType.FormSubmitted, now.AddMinutes(-k - 1))).ToImmutableArray();
                h.Leads.Put(new LeadSnapshot(lead, initial) { Segment = s.Segment });
                var card = h.Scorer.Score(lead, initial.AsSpan(), now);
                if (card.State >= Alignment.Scoring.QualificationState.MarketingQualified)
                {
                    await h.Recorder.TransitionAsync(lead.Id, LifecycleStage.MarketingQualified, LifecycleActor.System, $"score {card.Total} at capture", "stub@1.0.0");
                    await h.Router.RouteAsync(new HandoffRequest(lead, card, s.Segment));
                }
                else
                {
                    var reason = lead.Source == "Trade Show" ? NurtureEntryReason.EventContact : NurtureEntryReason.NeverEngaged;
                    await h.Engine.PutOnTrackAsync(new NurtureEnrolmentRequest(lead, reason) { Segment = s.Segment });
                }
            }

            // 2. Engagement of leads with marketing; some unsubscribe. New activity triggers a re-evaluation.
            foreach (var s in sim.Values)
            {
                var stage = (await h.Lifecycles.FindAsync(s.Lead.Id))!.Stage;
                if (stage != LifecycleStage.Recycled)
                {
                    continue;
                }

                if (!s.Unsubscribed && rng.NextDouble() < 0.002)
                {
                    s.Unsubscribed = true;
                    h.AddActivity(s.Lead.Id, new LeadActivity(ActivityType.Unsubscribed, now));
                    stats.Unsubscribes++;
                }

                if (rng.NextDouble() < s.Propensity)
                {
                    h.AddActivity(s.Lead.Id, new LeadActivity(rng.Next(2) == 0 ? ActivityType.EmailClicked : ActivityType.ContentDownloaded, now));
                    if (await h.Engine.ReevaluateAsync(s.Lead.Id) is NurtureOutcome.ExitedToHandoff)
                    {
                        stats.NurtureExitsToHandoff++;
                    }
                }
            }

            // 3. The scheduler: what is due now, until nothing is.
            NurtureRunResult run;
            do
            {
                run = await h.Engine.RunDueAsync();
                stats.StepsSent += run.StepsSent;
                stats.TrackChanges += run.Outcomes.Count(o => o is NurtureOutcome.TrackChanged);
                stats.NurtureExitsToHandoff += run.Outcomes.Count(o => o is NurtureOutcome.ExitedToHandoff);
            }
            while (run.Claimed == h.Options.BatchSize);

            // 4. Sales works its leads: accept, reject for timing (recycle), disqualify, qualify, win or lose.
            foreach (var s in sim.Values)
            {
                await WorkAsync(h, s, rng, stats);
            }

            h.Time.Advance(TimeSpan.FromDays(1));

            // 5. The invariant, every simulated day.
            var audit = await h.Audit.RunAsync(crmLeads);
            Assert.True(audit.IsClean, $"day {day}: {string.Join("; ", audit.WithoutOwnerOrTrack.Concat(audit.HeldTwice).Take(5))}");
            Assert.Equal(crmLeads.Count, audit.LeadsAudited);
        }

        // The year exercised every path the invariant has to survive.
        Assert.Equal(Leads, crmLeads.Count);
        Assert.True(stats.Won > 0 && stats.Lost > 0 && stats.RecycledBySales > 0 && stats.LostRecycled > 0 && stats.Disqualified > 0, stats.ToString());
        Assert.True(stats.NurtureExitsToHandoff > 0 && stats.TrackChanges > 0 && stats.Unsubscribes > 0 && stats.StepsSent > 1000, stats.ToString());
        Assert.Equal(0, h.Outbox.Deliveries - h.Outbox.Executions.Length);

        // And the metrics agree with what happened.
        var funnel = new List<FunnelLead>();
        foreach (var s in sim.Values)
        {
            var lifecycle = (await h.Lifecycles.FindAsync(s.Lead.Id))!;
            funnel.Add(new FunnelLead(lifecycle, s.Lead.CreatedAt!.Value) { Segment = s.Segment, Source = s.Lead.Source, Campaign = s.Lead.Campaign, FirstSalesTouchAt = s.FirstTouchAt, SlaDueAt = s.SlaDueAt, WonAmount = lifecycle.Stage == LifecycleStage.Won ? 10_000m : null });
        }

        var report = AlignmentMetrics.Compute(funnel, new AlignmentMetricsOptions { AsOf = h.Time.GetUtcNow() });
        output.WriteLine(stats.ToString());
        output.WriteLine(string.Join(", ", report.Overall.Stages.Select(st => $"{st.Stage} {st.Leads}")));
        output.WriteLine($"recycled {report.Recycling.Recycled}, back as MQL {report.Recycling.CameBackAsMql}, won after recycle {report.Recycling.Won}; speed to lead median {report.SpeedToLead.MedianHours} h, p95 {report.SpeedToLead.P95Hours} h, SLA {report.SpeedToLead.SlaComplianceRate}");
        Assert.Equal(Leads, report.Overall.Stages[0].Leads);
        Assert.Equal(stats.Won, report.Overall.Stages[^1].Leads);
        Assert.Equal(stats.RecycledBySales + stats.LostRecycled, report.Recycling.Recycled);
        Assert.True(report.Recycling.CameBackAsMql > 0, stats.ToString());
        Assert.Equal(stats.Won * 10_000m, report.Attribution.WonRevenue);
        Assert.Equal(report.Attribution.WonRevenue, report.Attribution.Linear.Sum(r => r.Revenue));
        Assert.Equal(Segments.Length, report.BySegment.Length);
    }

    private static async Task WorkAsync(NurtureHarness h, SimLead s, Random rng, Stats stats)
    {
        var now = h.Time.GetUtcNow();
        var lifecycle = (await h.Lifecycles.FindAsync(s.Lead.Id))!;
        var stage = lifecycle.Stage;
        if (stage is not (LifecycleStage.MarketingQualified or LifecycleStage.SalesAccepted or LifecycleStage.SalesQualified or LifecycleStage.Opportunity))
        {
            s.ActAt = null;
            return;
        }

        if (s.ActAt is null || s.ActStage != stage)
        {
            s.ActStage = stage;
            s.ActAt = now.AddDays(stage == LifecycleStage.Opportunity ? rng.Next(20, 60) : rng.Next(1, 6));
            if (stage == LifecycleStage.MarketingQualified)
            {
                s.SlaDueAt ??= now.AddDays(2);
            }

            return;
        }

        if (now < s.ActAt)
        {
            return;
        }

        var roll = rng.NextDouble();
        switch (stage)
        {
            case LifecycleStage.MarketingQualified when roll < 0.65:
                s.FirstTouchAt ??= now;
                await h.Recorder.TransitionAsync(s.Lead.Id, LifecycleStage.SalesAccepted, LifecycleActor.Sales, "accepted");
                break;
            case LifecycleStage.MarketingQualified when roll < 0.92:
                s.FirstTouchAt ??= now;
                await RecycleAsync(h, s, NurtureEntryReason.RecycledTiming, "not now, call back next quarter");
                stats.RecycledBySales++;
                break;
            case LifecycleStage.MarketingQualified:
                await h.Recorder.TransitionAsync(s.Lead.Id, LifecycleStage.Disqualified, LifecycleActor.Sales, "student, not a buyer");
                stats.Disqualified++;
                break;
            case LifecycleStage.SalesAccepted when roll < 0.7:
                await h.Recorder.TransitionAsync(s.Lead.Id, LifecycleStage.SalesQualified, LifecycleActor.Sales, "need, budget and timing confirmed");
                break;
            case LifecycleStage.SalesAccepted:
                await RecycleAsync(h, s, NurtureEntryReason.RecycledTiming, "no budget this year");
                stats.RecycledBySales++;
                break;
            case LifecycleStage.SalesQualified:
                await h.Recorder.TransitionAsync(s.Lead.Id, LifecycleStage.Opportunity, LifecycleActor.Sales, "opportunity opened");
                break;
            case LifecycleStage.Opportunity when roll < 0.35:
                await h.Recorder.TransitionAsync(s.Lead.Id, LifecycleStage.Won, LifecycleActor.Sales, "closed won");
                stats.Won++;
                break;
            case LifecycleStage.Opportunity:
                await h.Recorder.TransitionAsync(s.Lead.Id, LifecycleStage.Lost, LifecycleActor.Sales, "lost to a competitor");
                stats.Lost++;
                if (rng.NextDouble() < 0.6)
                {
                    await RecycleAsync(h, s, NurtureEntryReason.LostDeal, "revisit at renewal");
                    stats.LostRecycled++;
                }

                break;
        }

        s.ActAt = null;
    }

    private static async Task RecycleAsync(NurtureHarness h, SimLead s, NurtureEntryReason reason, string note)
    {
        // The rep's reason goes on the lifecycle; the lead's recent engagement is what sales already saw, so it cools down.
        h.Assignments.Forget(s.Lead.Id);
        var snapshot = (await h.Leads.FindAsync(s.Lead.Id))!;
        h.Leads.Put(new LeadSnapshot(snapshot.Lead, [.. snapshot.Activities.Where(a => a.Type is ActivityType.Unsubscribed or ActivityType.Bounced)]) { Segment = snapshot.Segment });
        s.Propensity /= 2;
        await h.Engine.PutOnTrackAsync(new NurtureEnrolmentRequest(s.Lead, reason) { Segment = s.Segment, Actor = LifecycleActor.Sales, Note = note });
    }

    private sealed class SimLead(Lead lead, SegmentId segment, double propensity)
    {
        public Lead Lead { get; } = lead;

        public SegmentId Segment { get; } = segment;

        public double Propensity { get; set; } = propensity;

        public bool Unsubscribed { get; set; }

        public DateTimeOffset? ActAt { get; set; }

        public LifecycleStage ActStage { get; set; }

        public DateTimeOffset? FirstTouchAt { get; set; }

        public DateTimeOffset? SlaDueAt { get; set; }
    }

    private sealed class Stats
    {
        public int Won { get; set; }

        public int Lost { get; set; }

        public int LostRecycled { get; set; }

        public int RecycledBySales { get; set; }

        public int Disqualified { get; set; }

        public int Unsubscribes { get; set; }

        public int NurtureExitsToHandoff { get; set; }

        public int TrackChanges { get; set; }

        public int StepsSent { get; set; }

        public override string ToString() =>
            $"won {Won}, lost {Lost} ({LostRecycled} recycled), recycled by sales {RecycledBySales}, disqualified {Disqualified}, unsubscribes {Unsubscribes}, nurture exits to handoff {NurtureExitsToHandoff}, track changes {TrackChanges}, steps sent {StepsSent}";
    }
}
