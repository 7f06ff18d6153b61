using System.Collections.Immutable;
using Alignment.Activities;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Handoff;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Metrics;
using Alignment.Policies.Nurture;
using Alignment.Policies.Nurture.Campaigns;
using Alignment.Segmentation;
using Alignment.Segmentation.Collateral;
using Alignment.Segmentation.Consistency;

namespace Alignment.Cli.Demo;

/// <summary>
/// Runs the sample year through the real engines on a simulated clock: capture → score → segment → handoff → nurture → outcomes.
/// Events (a lead captured, a website session, a rep's first touch, the router's service-level check at a handoff's due time, a
/// sales decision, the nurture scheduler's morning run, the webinar) are processed in time order; the sales reps' decisions are drawn from each lead's own seeded random stream, so the
/// whole year is the same on every run.
/// </summary>
internal sealed partial class DemoPipeline : IDisposable
{
    private static readonly DateTimeOffset WebinarAt = new(2025, 6, 12, 16, 0, 0, TimeSpan.Zero);
    private readonly DemoModelSet _models;
    private readonly ImmutableArray<SampleLead> _sample;
    private readonly int _seed;
    private readonly SimulationClock _clock = new(SampleDataGenerator.Start);
    private readonly PriorityQueue<Func<ValueTask>, (long Ticks, long Sequence)> _events = new();
    private readonly InMemoryLifecycleStore _lifecycles = new();
    private readonly InMemoryNurtureStore _nurtureStore = new();
    private readonly InMemoryLeadSnapshotSource _snapshots = new();
    private readonly InMemoryNurtureOutbox _outbox = new();
    private readonly ReopeningRoutingStateStore _routingStore = new(new InMemoryRoutingStateStore());
    private readonly RoutingTally _tally = new();
    private readonly SlaEscalationTally _escalations = new();
    private readonly LifecycleRecorder _recorder;
    private readonly HandoffRouter _router;
    private readonly NurtureEngine _nurture;
    private readonly LifecycleAudit _audit;
    private readonly CampaignTracker _webinar;
    private readonly NurtureOptions _nurtureOptions = new() { InstanceId = "demo", BatchSize = 2_000 };
    private readonly Dictionary<LeadId, LeadState> _leads = [];
    private readonly List<LeadId> _captured = [];
    private readonly List<FirstTouch> _touches = [];
    private readonly NurtureTally _nurtureTally = new();
    private readonly Dictionary<string, double> _repPace = new(StringComparer.Ordinal);
    private readonly string _modelVersion;
    private long _sequence;
    private int _activities;
    private int _queueSweeps;
    private int _auditsRun;
    private int _worstAudit;

    /// <summary>Creates the pipeline over the sample leads.</summary>
    /// <param name="models">The compiled models.</param>
    /// <param name="sample">The generated leads.</param>
    /// <param name="seed">The seed they were generated with.</param>
    public DemoPipeline(DemoModelSet models, ImmutableArray<SampleLead> sample, int seed)
    {
        _models = models;
        _sample = sample;
        _seed = seed;
        _modelVersion = $"{models.Scoring.Id}@{models.Scoring.Version}";
        _recorder = new LifecycleRecorder(_lifecycles, _tally, _clock);
        _router = new HandoffRouter(models.Routing, new HandoffRouterServices { Store = _routingStore, Decisions = _tally, TimeProvider = _clock, Lifecycle = _lifecycles, Escalation = _escalations });
        var content = new InMemoryNurtureContentLibrary();
        foreach (var item in NurtureContentFrom(models))
        {
            content.Add(item);
        }

        _nurture = new NurtureEngine(
            models.Nurture,
            new NurtureEngineServices
            {
                Store = _nurtureStore, Lifecycle = _recorder, Scorer = models.Scoring, Content = content, StepHandler = _outbox,
                Leads = _snapshots, Decisions = _tally, TimeProvider = _clock, Handoff = _router,
            },
            _nurtureOptions);
        _audit = new LifecycleAudit(_lifecycles, _nurtureStore, new RoutingStateOwnerLookup(_routingStore));
        _webinar = new CampaignTracker(DemoModels.WebinarCampaign, TimeSpan.FromHours(48), _nurture, _outbox, _nurtureStore, _lifecycles, _clock);
        double[] paces = [0.7, 1.0, 1.3, 0.85, 1.15, 1.6, 0.9];
        for (int i = 0; i < models.Routing.Reps.Length; i++)
        {
            _repPace[models.Routing.Reps[i].Value] = paces[i % paces.Length];
        }
    }

    /// <summary>Runs the year.</summary>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>What the run measured.</returns>
    public async Task<DemoRun> RunAsync(CancellationToken cancellationToken = default)
    {
        foreach (var sample in _sample)
        {
            var state = new LeadState(sample);
            _leads[sample.Lead.Id] = state;
            Schedule(sample.CapturedAt, () => CaptureAsync(state));
        }

        for (var day = SampleDataGenerator.Start; day < SampleDataGenerator.End; day = day.AddDays(1))
        {
            Schedule(day.AddHours(7), RunNurtureAsync);
            Schedule(day.AddHours(23).AddMinutes(59), AuditAsync);
        }

        Schedule(WebinarAt, RunWebinarAsync);

        while (_events.TryDequeue(out var action, out var when))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (when.Ticks >= SampleDataGenerator.End.UtcTicks)
            {
                break;
            }

            _clock.MoveTo(new DateTimeOffset(when.Ticks, TimeSpan.Zero));
            await action().ConfigureAwait(false);
        }

        _clock.MoveTo(SampleDataGenerator.End);
        var finalAudit = await _audit.RunAsync(_captured, cancellationToken).ConfigureAwait(false);
        var funnel = new List<FunnelLead>(_leads.Count);
        var scores = ImmutableArray.CreateBuilder<(decimal, LeadOutcome)>(_leads.Count);
        var closed = new List<ClosedDeal>();
        var owners = new RoutingStateOwnerLookup(_routingStore);
        foreach (var id in _captured)
        {
            var state = _leads[id];
            var lifecycle = await _lifecycles.FindAsync(id, cancellationToken).ConfigureAwait(false) ?? LeadLifecycle.Start(id);
            var lead = state.Sample.Lead;
            funnel.Add(new FunnelLead(lifecycle, state.Sample.CapturedAt)
            {
                Segment = state.Segment,
                Source = lead.Source,
                Campaign = lead.Campaign,
                FirstSalesTouchAt = state.FirstTouchAt,
                SlaDueAt = state.SlaDueAt,
                WonAmount = lifecycle.Stage == LifecycleStage.Won ? state.Sample.DealSize : null,
                Touches = [.. state.Touches],
            });
            scores.Add((state.CaptureScore, OutcomeOf(lifecycle.Stage)));
            if (lifecycle.Stage is LifecycleStage.Won or LifecycleStage.Lost && state.Segment is { } segment
                && await owners.FindOwnerAsync(id, cancellationToken).ConfigureAwait(false) is { } owner)
            {
                closed.Add(new ClosedDeal(id.ToString(), segment, new RepId(owner), lifecycle.History[^1].At, lifecycle.Stage == LifecycleStage.Won));
            }
        }

        var metrics = AlignmentMetrics.Compute(funnel, new AlignmentMetricsOptions { AsOf = SampleDataGenerator.End, Period = MetricsPeriod.Quarter });
        var webinar = await _webinar.ReportAsync(cancellationToken).ConfigureAwait(false);
        var contentLoop = await DemoContentLoop.RunAsync(_models, closed, cancellationToken).ConfigureAwait(false);
        _models.CollateralClock.Set(SampleDataGenerator.End);
        return new DemoRun
        {
            Models = _models,
            Seed = _seed,
            Leads = _captured.Count,
            Activities = _activities,
            AsOf = SampleDataGenerator.End,
            Funnel = [.. funnel],
            Planning = Reporting.ReportData.Compute(funnel, DemoPlanning.Spend, DemoPlanning.Plan, SampleDataGenerator.End, MetricsPeriod.Quarter, null),
            Metrics = metrics,
            Webinar = webinar,
            FinalAudit = finalAudit,
            AuditsRun = _auditsRun,
            WorstAuditDuringYear = _worstAudit,
            Routing = _tally,
            FirstTouches = [.. _touches],
            ScoresByOutcome = scores.MoveToImmutable(),
            Nurture = _nurtureTally,
            Consistency = contentLoop.Trend.Tests[^1].Report,
            ContentLoop = contentLoop,
            Collateral = _models.Collateral.Items,
            QueueSweeps = _queueSweeps,
            Escalations = _escalations,
        };
    }

    /// <inheritdoc />
    public void Dispose() => _router.Dispose();

    private static LeadOutcome OutcomeOf(LifecycleStage stage) => stage switch
    {
        LifecycleStage.Inquiry or LifecycleStage.Recycled => LeadOutcome.Nurture,
        LifecycleStage.Won => LeadOutcome.Won,
        LifecycleStage.Lost => LeadOutcome.Lost,
        LifecycleStage.Disqualified => LeadOutcome.Disqualified,
        _ => LeadOutcome.Open,
    };

    private static IEnumerable<NurtureContent> NurtureContentFrom(DemoModelSet models)
    {
        int segments = DemoModels.Segments.Length;
        foreach (var item in models.Collateral.Items)
        {
            if (item.Kind is null)
            {
                continue;
            }

            if (item.Segments.Length == segments)
            {
                yield return Content(item, null);
            }
            else
            {
                foreach (var segment in item.Segments)
                {
                    yield return Content(item, segment);
                }
            }
        }

        NurtureContent Content(CollateralItem item, SegmentId? segment) => new(item.Id, item.Kind!, item.ApprovedAt ?? item.LastReviewedAt)
        {
            Segment = segment,
            Approved = item.Status == CollateralStatus.Approved,
            ExpiresAt = item.ExpiresAt,
            Title = item.Title,
            Campaign = models.CollateralCampaigns.GetValueOrDefault(item.Id),
        };
    }

    private void Schedule(DateTimeOffset at, Func<ValueTask> action) => _events.Enqueue(action, (at.UtcTicks, _sequence++));

    private async ValueTask AuditAsync()
    {
        var report = await _audit.RunAsync(_captured).ConfigureAwait(false);
        _auditsRun++;
        _worstAudit = Math.Max(_worstAudit, report.LeadsWithoutOwnerOrTrack + report.HeldTwice.Length);
    }

    private static double Normal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private sealed class LeadState(SampleLead sample)
    {
        public SampleLead Sample { get; } = sample;

        public Random Random { get; } = new(sample.Seed);

        public List<LeadActivity> Activities { get; } = [];

        public List<MarketingTouch> Touches { get; } = [];

        public SegmentId? Segment { get; set; }

        public decimal CaptureScore { get; set; }

        public int NextSession { get; set; }

        public DateTimeOffset? FirstTouchAt { get; set; }

        public DateTimeOffset? SlaDueAt { get; set; }

        public int HandledEpoch { get; set; }

        public int SlaMinutes { get; set; }

        public DateTimeOffset EngagementSince { get; set; } = DateTimeOffset.MinValue;
    }
}
