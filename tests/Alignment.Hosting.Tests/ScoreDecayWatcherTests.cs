using System.Globalization;
using System.Text;
using Alignment.Activities;
using Alignment.Decisions;
using Alignment.Hosting.Workers;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Nurture;
using Alignment.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Hosting.Tests;

/// <summary>
/// The decay watch against brute force: on randomized decaying models, the instant a lead is watched for is the first instant a
/// scan of every age-change instant finds a different state; each crossing is published once, at that instant, also when the
/// wake-up comes late; a lead with marketing that drops below MQL is put back on nurture (DroppedBelowThreshold), one with sales
/// is not; one lead's failure does not stall the others; and the worker in a host wakes at the crossing.
/// </summary>
public sealed class ScoreDecayWatcherTests
{
    private const long Day = TimeSpan.TicksPerDay;
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly ActivityType[] Types = [ActivityType.WebVisit, ActivityType.EmailOpened, ActivityType.FormSubmitted, ActivityType.PageView];

    private sealed class RecordingNurture : INurturePolicy
    {
        public List<(LeadId Lead, NurtureEntryReason Reason)> Enrolled { get; } = [];

        public ValueTask<NurtureEnrolment> EnrolAsync(Lead lead, NurtureEntryReason reason, CancellationToken cancellationToken = default)
        {
            Enrolled.Add((lead.Id, reason));
            return ValueTask.FromResult(new NurtureEnrolment(lead.Id, "t", reason, T0, 0, null));
        }
    }

    private sealed class Rig
    {
        public FakeTimeProvider Time { get; } = new(T0);

        public InMemoryLeadSnapshotSource Leads { get; } = new();

        public InMemoryDecisionSink Sink { get; } = new();

        public InMemoryScoreWatchStore Store { get; } = new();

        public RecordingNurture Nurture { get; } = new();

        public InMemoryLifecycleStore Lifecycle { get; } = new();

        public ScoreDecayWatcher Watcher(ILeadScorer scorer, IScoreCrossingCalculator crossings) => new(new ScoreDecayWatcherServices
        {
            Store = Store, Scorer = scorer, Crossings = crossings, Leads = Leads, Decisions = Sink, TimeProvider = Time, Nurture = Nurture, Lifecycle = Lifecycle,
        });

        public List<AlignmentDecision.ScoreCrossed> Crossed => Sink.Decisions.OfType<AlignmentDecision.ScoreCrossed>().ToList();
    }

    [Fact]
    public async Task Randomized_decaying_models_publish_each_crossing_once_at_the_brute_force_instant()
    {
        var random = new Random(20261204);
        int cases = 0, withCrossing = 0, enrolments = 0, lateCatchUps = 0;
        for (int n = 0; n < 120; n++)
        {
            string rules = RandomRules(random);
            var lead = new Lead(new LeadId("L" + n));
            var activities = RandomActivities(random);
            var from = T0.AddMinutes(random.Next(0, 1440));
            decimal score0 = Load(rules, 100_000, 200_000).Evaluate(lead, activities, from).Total;
            if (score0 < 2)
            {
                continue;
            }

            // Qualified at the start (sometimes hot), so the decay takes it down through one or two thresholds.
            decimal mql = Math.Round(score0 * (decimal)(0.2 + (random.NextDouble() * 0.7)), 2);
            decimal hot = random.Next(3) == 0 ? Math.Round((mql + score0) / 2, 2) : score0 + 10;
            if (hot <= mql)
            {
                continue;
            }

            var model = Load(rules, mql, hot);
            cases++;
            var rig = new Rig();
            rig.Time.SetUtcNow(from);
            rig.Leads.Put(new LeadSnapshot(lead, [.. activities]));
            var watcher = rig.Watcher(model, model);
            var expected = BruteForceChanges(model, lead, activities, from, from.AddDays(400));
            var initial = model.Evaluate(lead, activities, from).State;

            var watch = await watcher.WatchAsync(lead.Id);
            Assert.True(expected.FirstOrDefault().At == watch?.WakeAt, $"case {n}: watched for {watch?.WakeAt:O}, brute force {expected.FirstOrDefault().At:O}\n{rules}");
            if (expected.Count == 0)
            {
                continue;
            }

            withCrossing++;
            Assert.Equal(initial, watch!.State);

            // On time: the first crossing exactly, once, however often the due watches are processed at that instant.
            rig.Time.SetUtcNow(expected[0].At);
            Assert.Equal(1, await watcher.ProcessDueAsync());
            Assert.Equal(0, await watcher.ProcessDueAsync());
            var first = Assert.Single(rig.Crossed);
            Assert.Equal((lead.Id, initial, expected[0].State, expected[0].At), (first.Lead, first.Crossing.From, first.Crossing.To, first.CrossedAt));
            Assert.Equal(model.Evaluate(lead, activities, expected[0].At).Total, first.Score);
            int expectedEnrolments = initial >= QualificationState.MarketingQualified && expected[0].State == QualificationState.NotQualified ? 1 : 0;

            // Late: a wake-up long after the remaining crossings publishes every one of them, in order, at its own instant.
            if (expected.Count > 1)
            {
                lateCatchUps++;
                rig.Time.SetUtcNow(from.AddDays(400));
                Assert.Equal(1, await watcher.ProcessDueAsync());
                Assert.Equal(expected.Select(e => (e.At, e.State)), rig.Crossed.Select(c => (c.CrossedAt, c.Crossing.To)));
                expectedEnrolments += expected[0].State >= QualificationState.MarketingQualified && expected[^1].State == QualificationState.NotQualified ? 1 : 0;
            }

            Assert.Equal(expectedEnrolments, rig.Nurture.Enrolled.Count);
            Assert.All(rig.Nurture.Enrolled, e => Assert.Equal((lead.Id, NurtureEntryReason.DroppedBelowThreshold), e));
            enrolments += expectedEnrolments;

            // Past the last crossing a decaying lead never crosses again: no watch is left.
            if (expected[^1].State == QualificationState.NotQualified)
            {
                rig.Time.SetUtcNow(from.AddDays(400));
                await watcher.ProcessDueAsync();
                Assert.Null(await rig.Store.FindAsync(lead.Id));
            }
        }

        // The generator must exercise the watch: many cases, most with crossings, some late catch-ups and re-enrolments.
        Assert.True(cases > 80, $"cases: {cases}");
        Assert.True(withCrossing > 60, $"with a crossing: {withCrossing} of {cases}");
        Assert.True(lateCatchUps > 10, $"late catch-ups: {lateCatchUps}");
        Assert.True(enrolments > 40, $"re-enrolments: {enrolments}");
    }

    [Fact]
    public async Task A_lead_with_sales_is_not_put_back_on_nurture_but_its_crossing_is_published()
    {
        var rig = new Rig();
        var model = Load("""{ "id": "visit", "activity": "webVisit", "points": 60, "windowDays": 10 }""", 50, 90);
        var lead = new Lead(new LeadId("sal"));
        rig.Leads.Put(new LeadSnapshot(lead, [new LeadActivity(ActivityType.WebVisit, T0.AddDays(-1))]));
        var sal = LeadLifecycle.Start(lead.Id)
            .Transition(LifecycleStage.MarketingQualified, T0.AddDays(-1), LifecycleActor.System, "score 60")
            .Transition(LifecycleStage.SalesAccepted, T0, LifecycleActor.Sales, "accepted");
        Assert.True(await rig.Lifecycle.TrySaveAsync(sal, 0));
        var watcher = rig.Watcher(model, model);

        var watch = await watcher.WatchAsync(lead.Id);
        Assert.Equal(T0.AddDays(9), watch!.WakeAt); // the window of 10 days ends 10 days after the visit
        rig.Time.SetUtcNow(T0.AddDays(9));
        await watcher.ProcessDueAsync();

        var crossed = Assert.Single(rig.Crossed);
        Assert.True(crossed.Crossing.IsDown);
        Assert.Empty(rig.Nurture.Enrolled);
    }

    [Fact]
    public async Task A_lead_that_fails_is_retried_later_without_stalling_the_others_and_a_vanished_lead_is_no_longer_watched()
    {
        var rig = new Rig();
        var model = Load("""{ "id": "visit", "activity": "webVisit", "points": 60, "windowDays": 10 }""", 50, 90);
        foreach (var id in new[] { "a", "bad", "c", "gone" })
        {
            rig.Leads.Put(new LeadSnapshot(new Lead(new LeadId(id)), [new LeadActivity(ActivityType.WebVisit, T0.AddDays(-1))]));
        }

        var failing = new FailingFor("bad", model);
        var watcher = rig.Watcher(failing, model);
        foreach (var id in new[] { "a", "bad", "c", "gone" })
        {
            await watcher.WatchAsync(new LeadId(id));
        }

        failing.Armed = true;
        var withoutGone = new InMemoryLeadSnapshotSource();
        foreach (var id in new[] { "a", "bad", "c" })
        {
            withoutGone.Put(new LeadSnapshot(new Lead(new LeadId(id)), [new LeadActivity(ActivityType.WebVisit, T0.AddDays(-1))]));
        }

        var watcher2 = new ScoreDecayWatcher(new ScoreDecayWatcherServices
        {
            Store = rig.Store, Scorer = failing, Crossings = model, Leads = withoutGone, Decisions = rig.Sink, TimeProvider = rig.Time, Nurture = rig.Nurture,
        });
        rig.Time.SetUtcNow(T0.AddDays(9));
        Assert.Equal(4, await watcher2.ProcessDueAsync());

        Assert.Equal(["a", "c"], rig.Crossed.Select(c => c.Lead.Value).Order());
        Assert.Null(await rig.Store.FindAsync(new LeadId("gone")));
        var retry = (await rig.Store.FindAsync(new LeadId("bad")))!;
        Assert.Equal(T0.AddDays(9) + ScoreDecayWatcher.RetryAfterFailure, retry.WakeAt);
        Assert.Equal(T0.AddDays(9), retry.CrossingAt);
        Assert.Equal(QualificationState.MarketingQualified, retry.State);

        // Fixed: the retry publishes the crossing at its computed instant (the watch kept it apart from the retry time) and moves on.
        failing.Armed = false;
        rig.Time.SetUtcNow(retry.WakeAt);
        Assert.Equal(1, await watcher2.ProcessDueAsync());
        Assert.Equal(T0.AddDays(9), rig.Crossed.Single(c => c.Lead.Value == "bad").CrossedAt);
        Assert.Null(await rig.Store.FindAsync(new LeadId("bad")));
    }

    [Fact]
    public async Task A_failed_re_enrolment_is_retried_alone_the_crossing_is_published_once_at_its_instant_and_the_next_crossing_is_kept()
    {
        var rig = new Rig();
        var model = Load("""{ "id": "visit", "activity": "webVisit", "points": 60, "windowDays": 10 }""", 50, 90);
        var lead = new Lead(new LeadId("flaky"));

        // A visit yesterday (MQL until day 9), and one dated day 20 that comes into force then (MQL again).
        rig.Leads.Put(new LeadSnapshot(lead, [new LeadActivity(ActivityType.WebVisit, T0.AddDays(-1)), new LeadActivity(ActivityType.WebVisit, T0.AddDays(20))]));
        var nurture = new FlakyNurture(failures: 2);
        var watcher = new ScoreDecayWatcher(new ScoreDecayWatcherServices
        {
            Store = rig.Store, Scorer = model, Crossings = model, Leads = rig.Leads, Decisions = rig.Sink, TimeProvider = rig.Time, Nurture = nurture, Lifecycle = rig.Lifecycle,
        });
        Assert.Equal(T0.AddDays(9), (await watcher.WatchAsync(lead.Id))!.WakeAt);

        rig.Time.SetUtcNow(T0.AddDays(9));
        Assert.Equal(1, await watcher.ProcessDueAsync()); // the re-enrolment throws
        var owed = (await rig.Store.FindAsync(lead.Id))!;
        Assert.Equal((QualificationState.NotQualified, QualificationState.MarketingQualified), (owed.State, owed.OwedFrom));
        Assert.Equal(T0.AddDays(9) + ScoreDecayWatcher.RetryAfterFailure, owed.RetryAt);
        Assert.Equal(T0.AddDays(20), owed.CrossingAt);

        // Each retry redoes the re-enrolment only; the crossing stays published once, at its own instant.
        rig.Time.SetUtcNow(owed.WakeAt);
        Assert.Equal(1, await watcher.ProcessDueAsync()); // throws again
        rig.Time.SetUtcNow((await rig.Store.FindAsync(lead.Id))!.WakeAt);
        Assert.Equal(1, await watcher.ProcessDueAsync()); // succeeds
        Assert.Equal(3, nurture.Calls);
        Assert.Equal([(lead.Id, NurtureEntryReason.DroppedBelowThreshold)], nurture.Enrolled);
        var crossed = Assert.Single(rig.Crossed);
        Assert.Equal((QualificationState.MarketingQualified, QualificationState.NotQualified, T0.AddDays(9)), (crossed.Crossing.From, crossed.Crossing.To, crossed.CrossedAt));

        // Done: no action owed, and the watch wakes at the next crossing.
        var after = (await rig.Store.FindAsync(lead.Id))!;
        Assert.Equal((null, null, T0.AddDays(20)), (after.OwedFrom, after.RetryAt, after.WakeAt));
        rig.Time.SetUtcNow(T0.AddDays(20));
        Assert.Equal(1, await watcher.ProcessDueAsync());
        Assert.Equal([T0.AddDays(9), T0.AddDays(20)], rig.Crossed.Select(c => c.CrossedAt));
        Assert.Single(nurture.Enrolled);
    }

    [Fact]
    public async Task WatchAsync_on_a_due_watch_publishes_its_crossing_first_and_the_worker_publishes_it_no_more()
    {
        var rig = new Rig();
        var model = Load("""{ "id": "visit", "activity": "webVisit", "points": 60, "windowDays": 10 }""", 50, 90);
        var watcher = rig.Watcher(model, model);
        var active = new Lead(new LeadId("active"));
        var quiet = new Lead(new LeadId("quiet"));
        rig.Leads.Put(new LeadSnapshot(active, [new LeadActivity(ActivityType.WebVisit, T0.AddDays(-1))]));
        rig.Leads.Put(new LeadSnapshot(quiet, [new LeadActivity(ActivityType.WebVisit, T0.AddDays(-1))]));
        await watcher.WatchAsync(active.Id);
        await watcher.WatchAsync(quiet.Id);

        // The worker lags: a day past the crossing, nothing processed yet. One lead has a new visit, the other only new attributes.
        rig.Time.SetUtcNow(T0.AddDays(10));
        rig.Leads.Put(new LeadSnapshot(active, [new LeadActivity(ActivityType.WebVisit, T0.AddDays(-1)), new LeadActivity(ActivityType.WebVisit, T0.AddDays(10))]));
        var activeWatch = await watcher.WatchAsync(active.Id);
        var quietWatch = await watcher.WatchAsync(quiet.Id);

        // Each lead's crossing at day 9, published once; the new visit coming into force at day 10 is the active lead's second.
        Assert.Equal(
            [("active", T0.AddDays(9), QualificationState.NotQualified), ("active", T0.AddDays(10), QualificationState.MarketingQualified), ("quiet", T0.AddDays(9), QualificationState.NotQualified)],
            rig.Crossed.Select(c => (c.Lead.Value, c.CrossedAt, c.Crossing.To)).Order());
        Assert.Equal((QualificationState.MarketingQualified, T0.AddDays(20), (QualificationState?)null), (activeWatch!.State, activeWatch.WakeAt, activeWatch.OwedFrom));
        Assert.Equal((QualificationState.NotQualified, QualificationState.MarketingQualified, T0.AddDays(10)), (quietWatch!.State, quietWatch.OwedFrom, quietWatch.WakeAt));

        // The worker then re-enrols the quiet lead (qualified again, the active one is not) and publishes nothing again.
        Assert.Equal(1, await watcher.ProcessDueAsync());
        Assert.Equal(0, await watcher.ProcessDueAsync());
        Assert.Equal([(quiet.Id, NurtureEntryReason.DroppedBelowThreshold)], rig.Nurture.Enrolled);
        Assert.Equal(3, rig.Crossed.Count);
        Assert.Null(await rig.Store.FindAsync(quiet.Id));
    }

    [Fact]
    public async Task WatchAsync_and_the_worker_racing_on_due_watches_publish_each_crossing_once()
    {
        var rig = new Rig();
        var model = Load("""{ "id": "visit", "activity": "webVisit", "points": 60, "windowDays": 10 }""", 50, 90);
        var watcher = rig.Watcher(model, model);
        var ids = Enumerable.Range(0, 200).Select(i => new LeadId("r" + i)).ToArray();
        foreach (var id in ids)
        {
            rig.Leads.Put(new LeadSnapshot(new Lead(id), [new LeadActivity(ActivityType.WebVisit, T0.AddDays(-1))]));
            await watcher.WatchAsync(id);
        }

        rig.Time.SetUtcNow(T0.AddDays(10));
        var watches = Task.Run(async () =>
        {
            foreach (var id in ids.Reverse())
            {
                await watcher.WatchAsync(id);
            }
        });
        var worker = Task.Run(async () =>
        {
            for (int pass = 0; pass < 10_000 && await watcher.ProcessDueAsync(7) > 0; pass++)
            {
            }
        });
        await Task.WhenAll(watches, worker);

        // An action whose clearing lost a race to a WatchAsync is retried later (at least once); no crossing is ever repeated.
        rig.Time.Advance(ScoreDecayWatcher.RetryAfterFailure);
        int passes = 0;
        while (await watcher.ProcessDueAsync() > 0)
        {
            Assert.True(++passes < 10_000, "the watches never stop being due");
        }

        Assert.Equal(ids.Select(i => i.Value).Order(), rig.Crossed.Select(c => c.Lead.Value).Order());
        Assert.All(rig.Crossed, c => Assert.Equal(T0.AddDays(9), c.CrossedAt));
        Assert.Equal(ids.Select(i => i.Value).Order(), rig.Nurture.Enrolled.Select(e => e.Lead.Value).Distinct().Order());
        Assert.Null(await rig.Store.GetNextWakeAsync());
    }

    [Fact]
    public async Task A_recording_watch_store_puts_each_crossing_in_the_outbox_with_its_move_and_the_watcher_publishes_none()
    {
        var rig = new Rig();
        var outbox = new InMemoryDecisionOutbox();
        var store = new InMemoryScoreWatchStore(outbox);
        var model = Load("""{ "id": "visit", "activity": "webVisit", "points": 60, "windowDays": 10 }""", 50, 90);
        var lead = new Lead(new LeadId("rec"));
        rig.Leads.Put(new LeadSnapshot(lead, [new LeadActivity(ActivityType.WebVisit, T0.AddDays(-1))]));
        var watcher = new ScoreDecayWatcher(new ScoreDecayWatcherServices
        {
            Store = store, Scorer = model, Crossings = model, Leads = rig.Leads, Decisions = rig.Sink, TimeProvider = rig.Time, Nurture = rig.Nurture, Lifecycle = rig.Lifecycle,
        });
        await watcher.WatchAsync(lead.Id);

        rig.Time.SetUtcNow(T0.AddDays(9));
        Assert.Equal(1, await watcher.ProcessDueAsync());
        Assert.Equal(0, await watcher.ProcessDueAsync());

        Assert.Empty(rig.Crossed);
        var pending = Assert.Single(await outbox.ReadPendingAsync(10));
        Assert.Equal($"score-crossed:rec:{T0.AddDays(9).UtcTicks}", pending.Key);
        var crossed = Assert.IsType<AlignmentDecision.ScoreCrossed>(pending.Decision);
        Assert.Equal((lead.Id, QualificationState.NotQualified, T0.AddDays(9)), (crossed.Lead, crossed.Crossing.To, crossed.CrossedAt));
        Assert.Equal([(lead.Id, NurtureEntryReason.DroppedBelowThreshold)], rig.Nurture.Enrolled);
    }

    [Fact]
    public async Task A_host_records_crossings_with_the_in_memory_outbox_and_refuses_a_recording_watch_store_without_one()
    {
        var model = Load("""{ "id": "visit", "activity": "webVisit", "points": 60, "windowDays": 10 }""", 50, 90);
        using (var host = TestHost.Build(new FakeTimeProvider(T0), services =>
        {
            services.AddSingleton<ILeadScorer>(model);
            services.AddSingleton<IScoreCrossingCalculator>(model);
            services.AddAlignment(a => a.UseInMemoryDecisionOutbox().AddNurture(o => o.PolicyJson = WorkerHostTests.NurturePolicy).AddAlignmentWorker(o => o.Workers = AlignmentWorkers.DecayWatch));
        }))
        {
            Assert.True(host.Services.GetRequiredService<IScoreWatchStore>().RecordsDecisions);
        }

        using var refused = TestHost.Build(new FakeTimeProvider(T0), services =>
        {
            services.AddSingleton<ILeadScorer>(model);
            services.AddSingleton<IScoreCrossingCalculator>(model);
            services.AddSingleton<IScoreWatchStore>(new InMemoryScoreWatchStore(new InMemoryDecisionOutbox()));
            services.AddAlignment(a => a.AddNurture(o => o.PolicyJson = WorkerHostTests.NurturePolicy).AddAlignmentWorker(o => o.Workers = AlignmentWorkers.DecayWatch));
        });
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => refused.StartAsync());
        Assert.Contains("records its decisions in an outbox", ex.Message, StringComparison.Ordinal);
    }

    private sealed class FlakyNurture(int failures) : INurturePolicy
    {
        public int Calls { get; private set; }

        public List<(LeadId Lead, NurtureEntryReason Reason)> Enrolled { get; } = [];

        public ValueTask<NurtureEnrolment> EnrolAsync(Lead lead, NurtureEntryReason reason, CancellationToken cancellationToken = default)
        {
            if (++Calls <= failures)
            {
                throw new InvalidOperationException("the nurture store is down");
            }

            Enrolled.Add((lead.Id, reason));
            return ValueTask.FromResult(new NurtureEnrolment(lead.Id, "t", reason, T0, 0, null));
        }
    }

    [Fact]
    public async Task The_worker_in_a_host_wakes_at_the_crossing_and_puts_the_lead_back_on_a_nurture_track()
    {
        var time = new FakeTimeProvider(T0);
        var model = Load("""{ "id": "visit", "activity": "webVisit", "points": 60, "windowDays": 10 }""", 50, 90);
        var sink = new InMemoryDecisionSink();
        using var host = TestHost.Build(time, services =>
        {
            services.AddSingleton<ILeadScorer>(model);
            services.AddSingleton<IScoreCrossingCalculator>(model);
            services.AddSingleton<IDecisionSink>(sink);
            services.AddAlignment(a => a
                .AddNurture(o => o.PolicyJson = WorkerHostTests.NurturePolicy)
                .AddAlignmentWorker(o => { o.Workers = AlignmentWorkers.DecayWatch; o.DecayPollInterval = TimeSpan.FromMinutes(30); o.LeaseDuration = TimeSpan.FromHours(1); }));
        });
        await host.StartAsync();
        var lead = new Lead(new LeadId("w"));
        ((InMemoryLeadSnapshotSource)host.Services.GetRequiredService<ILeadSnapshotSource>()).Put(new LeadSnapshot(lead, [new LeadActivity(ActivityType.WebVisit, T0.AddHours(-1))]));
        await TestHost.AdvanceUntilAsync(time, TimeSpan.FromSeconds(1), () => host.Worker<DecayWatchWorker>().IsLeading, 5, "the decay worker leads");

        var watch = await host.Services.GetRequiredService<ScoreDecayWatcher>().WatchAsync(lead.Id);
        Assert.Equal(T0.AddHours(-1).AddDays(10), watch!.WakeAt);

        // The worker sleeps in steps of at most the poll interval; it publishes at the crossing, not before.
        await TestHost.AdvanceUntilAsync(time, TimeSpan.FromMinutes(30), () => sink.Decisions.OfType<AlignmentDecision.ScoreCrossed>().Any(), 24 * 2 * 11, "crossing published");
        Assert.True(time.GetUtcNow() >= watch.WakeAt);
        Assert.True(time.GetUtcNow() < watch.WakeAt.AddMinutes(31));
        var crossed = Assert.Single(sink.Decisions.OfType<AlignmentDecision.ScoreCrossed>());
        Assert.Equal(watch.WakeAt, crossed.CrossedAt);
        var nurtureStore = host.Services.GetRequiredService<INurtureStore>();
        // The re-enrolment follows the publication (the watch moved first), so give the worker real time to finish the pass.
        Assert.True(await TestHost.SettleAsync(() => nurtureStore.FindLatestAsync(lead.Id).AsTask().Result is not null));
        var enrolment = await nurtureStore.FindLatestAsync(lead.Id);
        Assert.Equal(NurtureEntryReason.DroppedBelowThreshold, enrolment?.Reason);
        await host.StopAsync();
    }

    private sealed class FailingFor(string leadId, ILeadScorer inner) : ILeadScorer
    {
        public bool Armed { get; set; }

        public ScoreCard Score(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf) =>
            Armed && lead.Id.Value == leadId ? throw new InvalidOperationException("the CRM sent a broken lead") : inner.Score(lead, activities, asOf);
    }

    private static ScoringModel Load(string rules, decimal mql, decimal hot) => ScoringModel.Load(string.Create(CultureInfo.InvariantCulture, $$"""
        {
          "id": "decay", "version": "1.0.0",
          "thresholds": { "mql": {"score": {{mql}}}, "hot": {"score": {{hot}}} },
          "engagement": [ {{rules}} ]
        }
        """));

    /// <summary>
    /// The oracle: every instant after <paramref name="from"/> at which an activity's age in whole days changes, scored in order;
    /// each instant whose state differs from the one before it.
    /// </summary>
    private static List<(DateTimeOffset At, QualificationState State)> BruteForceChanges(ScoringModel model, Lead lead, LeadActivity[] activities, DateTimeOffset from, DateTimeOffset until)
    {
        var instants = new SortedSet<long>();
        foreach (var a in activities)
        {
            long origin = a.Timestamp.UtcTicks;
            for (long t = origin + ((((from.UtcTicks - origin) / Day) + 1) * Day); t <= until.UtcTicks; t += Day)
            {
                instants.Add(t);
            }
        }

        var changes = new List<(DateTimeOffset, QualificationState)>();
        var state = model.Evaluate(lead, activities, from).State;
        foreach (long t in instants)
        {
            var at = new DateTimeOffset(t, TimeSpan.Zero);
            var now = model.Evaluate(lead, activities, at).State;
            if (now != state)
            {
                changes.Add((at, now));
                state = now;
            }
        }

        return changes;
    }

    private static string RandomRules(Random random)
    {
        string P(double max, double min) => Math.Round(min + (random.NextDouble() * (max - min)), 2).ToString(CultureInfo.InvariantCulture);
        var rules = new List<string>();
        for (int i = 0, count = random.Next(1, 5); i < count; i++)
        {
            var type = Types[random.Next(Types.Length)].ToString();
            var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{{\"id\": \"r{i}\", \"activity\": \"{char.ToLowerInvariant(type[0])}{type[1..]}\", \"points\": {P(40, 1)}");
            switch (random.Next(3))
            {
                case 0:
                    sb.Append(CultureInfo.InvariantCulture, $", \"decay\": {{\"halfLifeDays\": {P(40, 0.5)}}}");
                    break;
                case 1:
                    int day = 0;
                    double factor = 1;
                    var steps = Enumerable.Range(0, random.Next(1, 4)).Select(_ => $"{{\"afterDays\": {day += random.Next(1, 30)}, \"factor\": {(factor *= random.NextDouble()).ToString("0.00", CultureInfo.InvariantCulture)}}}");
                    sb.Append(CultureInfo.InvariantCulture, $", \"decay\": {{\"steps\": [{string.Join(", ", steps)}]}}, \"windowDays\": {random.Next(40, 200)}");
                    break;
                default:
                    sb.Append(CultureInfo.InvariantCulture, $", \"windowDays\": {random.Next(1, 90)}");
                    break;
            }

            rules.Add(sb.Append('}').ToString());
        }

        return string.Join(",\n", rules);
    }

    private static LeadActivity[] RandomActivities(Random random)
    {
        var activities = new LeadActivity[random.Next(1, 15)];
        for (int i = 0; i < activities.Length; i++)
        {
            activities[i] = new LeadActivity(Types[random.Next(Types.Length)], T0 - TimeSpan.FromDays(random.NextDouble() * 30));
        }

        return activities;
    }
}
