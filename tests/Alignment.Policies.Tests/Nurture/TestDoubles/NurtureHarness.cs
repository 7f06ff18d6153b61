using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Alignment.Activities;
using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Nurture;
using Alignment.Segmentation;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Policies.Tests.Nurture.TestDoubles;

/// <summary>Wires a nurture engine with in-memory stores, the stub scorer and router, and a fake clock.</summary>
public sealed class NurtureHarness
{
    public const string PolicyJson = """
    {
      "id": "test-nurture",
      "version": "1.0.0",
      "contentMaxAgeDays": 180,
      "tracks": [
        {
          "id": "webinar-no-show", "priority": 10, "entryReasons": ["webinarNoShow"], "cadenceDays": 2, "onExhausted": "slow",
          "steps": [ { "id": "recording", "kind": "email", "topic": "webinar-recording" }, { "id": "rep-call", "kind": "repCallTask" } ]
        },
        {
          "id": "smb-recycled", "segments": ["smb"], "entryReasons": ["recycledTiming", "lostDeal"], "cadenceDays": 14, "maxDaysOnTrack": 90, "onExhausted": "slow",
          "steps": [ { "id": "guide", "kind": "email", "topic": "guide" }, { "id": "case", "kind": "email", "topic": "case-study" } ]
        },
        {
          "id": "default", "cadenceDays": 7, "onExhausted": "slow",
          "steps": [ { "id": "welcome", "kind": "email", "topic": "guide" }, { "id": "case", "kind": "email", "topic": "case-study" }, { "id": "call", "kind": "repCallTask" } ]
        },
        {
          "id": "slow", "cadenceDays": 30, "onExhausted": "slow",
          "steps": [ { "id": "newsletter", "kind": "email", "topic": "newsletter" } ]
        }
      ]
    }
    """;

    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    public NurtureHarness(string? policyJson = null, NurtureOptions? options = null, INurtureStore? store = null, IMeterFactory? meterFactory = null, Alignment.Models.ModelLoadOptions? loadOptions = null)
    {
        Policy = NurturePolicy.Load(policyJson ?? PolicyJson, loadOptions);
        Store = store ?? new InMemoryNurtureStore();
        MeterFactory = meterFactory ?? new TestMeterFactory();
        Recorder = new LifecycleRecorder(Lifecycles, Decisions, Time, MeterFactory);
        Router = new StubRouter(Assignments, "rep-1", "rep-2", "rep-3");
        Options = options ?? new NurtureOptions();
        Engine = CreateEngine(Options);
        Audit = new LifecycleAudit(Lifecycles, Store, Assignments);
        var fresh = Start.AddDays(-10);
        foreach (var topic in new[] { "guide", "case-study", "newsletter" })
        {
            for (var i = 0; i < 40; i++)
            {
                Content.Add(new NurtureContent($"{topic}-{i}", topic, fresh.AddDays(i)) { Approved = true });
            }
        }
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public IMeterFactory MeterFactory { get; }

    public NurturePolicy Policy { get; }

    public INurtureStore Store { get; }

    public InMemoryLifecycleStore Lifecycles { get; } = new();

    public InMemoryDecisionSink Decisions { get; } = new();

    public StubScorer Scorer { get; } = new();

    public StubAssignmentStore Assignments { get; } = new();

    public StubRouter Router { get; }

    public InMemoryNurtureContentLibrary Content { get; } = new();

    public InMemoryNurtureOutbox Outbox { get; } = new();

    public InMemoryLeadSnapshotSource Leads { get; } = new();

    public LifecycleRecorder Recorder { get; }

    public NurtureOptions Options { get; }

    public NurtureEngine Engine { get; }

    public LifecycleAudit Audit { get; }

    public NurtureEngine CreateEngine(NurtureOptions options, INurtureStepHandler? handler = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null) =>
        new(Policy, CreateServices(handler, loggerFactory), options);

    public NurtureEngineServices CreateServices(INurtureStepHandler? handler = null, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null, INurtureContentProvider? content = null) =>
        new() { Store = Store, Lifecycle = Recorder, Scorer = Scorer, Content = content ?? Content, StepHandler = handler ?? Outbox, Leads = Leads, Decisions = Decisions, TimeProvider = Time, Handoff = Router, Owners = Assignments, MeterFactory = MeterFactory, LoggerFactory = loggerFactory };

    public Lead AddLead(string id, string? segment = null, params LeadActivity[] activities)
    {
        var lead = new Lead(new LeadId(id)) { Source = "Web", CreatedAt = Time.GetUtcNow() };
        Leads.Put(new LeadSnapshot(lead, [.. activities]) { Segment = segment is null ? null : new SegmentId(segment) });
        return lead;
    }

    public void AddActivity(LeadId id, LeadActivity activity)
    {
        var current = Leads.FindAsync(id).AsTask().Result!;
        Leads.Put(new LeadSnapshot(current.Lead, current.Activities.Add(activity)) { Segment = current.Segment });
    }

    public void MakeSalesReady(LeadId id)
    {
        var now = Time.GetUtcNow();
        for (var i = 0; i < 5; i++)
        {
            AddActivity(id, new LeadActivity(ActivityType.FormSubmitted, now.AddHours(-i - 1)));
        }
    }

    public async Task<LeadLifecycle> LifecycleOf(LeadId id) => (await Lifecycles.FindAsync(id))!;

    public static ImmutableArray<LeadActivity> None => [];
}
