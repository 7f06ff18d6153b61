using System.Collections.Immutable;
using Alignment.Activities;
using Alignment.Decisions;
using Alignment.Hosting.Workers;
using Alignment.Leads;
using Alignment.Nurture;
using Alignment.Policies.Nurture;
using Alignment.Scoring;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Alignment.Hosting.Tests;

/// <summary>The workers inside a real generic host: options checked at start, the refusal of in-memory services beside durable state, the nurture worker, health and failures.</summary>
public sealed class WorkerHostTests
{
    internal const string NurturePolicy = """
        { "id": "n", "version": "1", "tracks": [ { "id": "default", "cadenceDays": 7, "onExhausted": "default", "steps": [ { "id": "call", "kind": "repCallTask" } ] } ] }
        """;

    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>A store the start-up check counts as durable: not one of the in-memory defaults.</summary>
    private class DurableNurtureStore(INurtureStore inner) : INurtureStore
    {
        public bool Fail { get; set; }

        public ValueTask<NurtureEnrolmentRecord?> FindLatestAsync(LeadId leadId, CancellationToken cancellationToken = default) => inner.FindLatestAsync(leadId, cancellationToken);

        public ValueTask<bool> TryInsertAsync(NurtureEnrolmentRecord record, CancellationToken cancellationToken = default) => inner.TryInsertAsync(record, cancellationToken);

        public ValueTask<bool> TryUpdateAsync(NurtureEnrolmentRecord record, int expectedVersion, NurtureEnrolmentRecord? successor = null, AlignmentDecision? decision = null, CancellationToken cancellationToken = default) => inner.TryUpdateAsync(record, expectedVersion, successor, decision, cancellationToken);

        public ValueTask<IReadOnlyList<NurtureDueItem>> PeekDueAsync(DateTimeOffset asOf, int maxCount, CancellationToken cancellationToken = default) => inner.PeekDueAsync(asOf, maxCount, cancellationToken);

        public ValueTask<IReadOnlyList<NurtureEnrolmentRecord>> ClaimDueAsync(DateTimeOffset asOf, int maxCount, string owner, DateTimeOffset leaseUntil, CancellationToken cancellationToken = default) =>
            Fail ? throw new TimeoutException("the database did not answer") : inner.ClaimDueAsync(asOf, maxCount, owner, leaseUntil, cancellationToken);

        public ValueTask<bool> TryRecordSentAsync(NurtureSentStep sent, CancellationToken cancellationToken = default) => inner.TryRecordSentAsync(sent, cancellationToken);

        public ValueTask<bool> WasSentAsync(string enrolmentId, int stepIndex, CancellationToken cancellationToken = default) => inner.WasSentAsync(enrolmentId, stepIndex, cancellationToken);

        public ValueTask<IReadOnlyList<NurtureSentStep>> ListSentAsync(LeadId leadId, CancellationToken cancellationToken = default) => inner.ListSentAsync(leadId, cancellationToken);

        public IAsyncEnumerable<NurtureEnrolmentRecord> ListLatestAsync(CancellationToken cancellationToken = default) => inner.ListLatestAsync(cancellationToken);
    }

    /// <summary>A lead document store the start-up check counts as durable (as it does PostgreSqlLeadDocumentStore).</summary>
    private sealed class DurableLeadDocumentStore : ILeadDocumentStore
    {
        private readonly InMemoryLeadDocumentStore _inner = new();

        public ValueTask<LeadDocument?> FindAsync(LeadId leadId, CancellationToken cancellationToken = default) => _inner.FindAsync(leadId, cancellationToken);

        public ValueTask<IngestReceipt?> FindReceiptAsync(string idempotencyKey, CancellationToken cancellationToken = default) => _inner.FindReceiptAsync(idempotencyKey, cancellationToken);

        public ValueTask<LeadDocumentSave> SaveAsync(LeadDocument document, long expectedVersion, IngestReceipt? receipt, CancellationToken cancellationToken = default) =>
            _inner.SaveAsync(document, expectedVersion, receipt, cancellationToken);

        public ValueTask<IngestKeyClaim> ClaimKeyAsync(string idempotencyKey, DateTimeOffset now, TimeSpan hold, CancellationToken cancellationToken = default) =>
            _inner.ClaimKeyAsync(idempotencyKey, now, hold, cancellationToken);

        public ValueTask<bool> ReleaseKeyAsync(string idempotencyKey, DateTimeOffset claimedUntil, CancellationToken cancellationToken = default) =>
            _inner.ReleaseKeyAsync(idempotencyKey, claimedUntil, cancellationToken);

        public ValueTask<int> PurgeReceiptsAsync(DateTimeOffset answeredBefore, int max, CancellationToken cancellationToken = default) =>
            _inner.PurgeReceiptsAsync(answeredBefore, max, cancellationToken);

        public IAsyncEnumerable<LeadDocument> ListAsync(CancellationToken cancellationToken = default) => _inner.ListAsync(cancellationToken);
    }

    private sealed class RecordingStepHandler : INurtureStepHandler
    {
        public List<NurtureStepExecution> Executed { get; } = [];

        public ValueTask ExecuteAsync(NurtureStepExecution execution, CancellationToken cancellationToken = default)
        {
            lock (Executed)
            {
                Executed.Add(execution);
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class RecordingSink : IDecisionSink
    {
        public ValueTask PublishAsync(AlignmentDecision decision, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    private sealed class NeverQualified : ILeadScorer
    {
        public ScoreCard Score(Lead lead, ReadOnlySpan<LeadActivity> activities, DateTimeOffset asOf) => new()
        {
            LeadId = lead.Id, AsOf = asOf, Total = 0, Fit = 0, Engagement = 0, Grade = Grade.D, State = QualificationState.NotQualified,
            Categories = [], Explanation = [], ModelId = "none", ModelVersion = "1", ModelHash = "h",
        };
    }

    private static IHost NurtureHost(FakeTimeProvider time, INurtureStore store, INurtureStepHandler? steps, Action<AlignmentWorkerOptions> worker, CapturingLoggerProvider? logs = null, IDecisionSink? sink = null) =>
        TestHost.Build(time, services =>
        {
            services.AddSingleton(store);
            if (steps is not null)
            {
                services.AddSingleton(steps);
            }

            if (sink is not null)
            {
                services.AddSingleton(sink);
            }

            services.AddSingleton<ILeadScorer, NeverQualified>();
            services.AddHealthChecks().AddAlignmentChecks();
            services.AddAlignment(a => a.AddNurture(o => o.PolicyJson = NurturePolicy).AddAlignmentWorker(worker));
        }, logs);

    [Fact]
    public async Task A_durable_store_with_in_memory_steps_sink_and_leases_does_not_start_and_each_is_named()
    {
        var time = new FakeTimeProvider(T0);
        using var host = NurtureHost(time, new DurableNurtureStore(new InMemoryNurtureStore()), steps: null, o => o.Workers = AlignmentWorkers.Nurture | AlignmentWorkers.SlaCheck);

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.StartsWith("Alignment.Hosting cannot start:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("InMemoryNurtureOutbox", ex.Message, StringComparison.Ordinal);
        Assert.Contains("InMemoryDecisionSink", ex.Message, StringComparison.Ordinal);
        Assert.Contains("InMemoryLeaseStore", ex.Message, StringComparison.Ordinal);
        Assert.Contains("call AddHandoff", ex.Message, StringComparison.Ordinal); // SlaCheck selected without a router
        Assert.Null(host.Services.GetRequiredService<WorkerHealth>().Snapshot().GetValueOrDefault("nurture"));
    }

    /// <summary>A nurture store that records its decisions.</summary>
    private class RecordingNurtureStore() : DurableNurtureStore(new InMemoryNurtureStore()), INurtureStore
    {
        bool INurtureStore.RecordsDecisions => true;
    }

    /// <summary>The same store, marked as delivering what it records itself (as the Orleans routing store's cells do).</summary>
    private sealed class SelfDeliveringNurtureStore : RecordingNurtureStore, IDeliversRecordedDecisions
    {
    }

    [Fact]
    public async Task A_store_that_records_needs_an_outbox_unless_it_delivers_what_it_records_itself()
    {
        var time = new FakeTimeProvider(T0);
        using var recording = NurtureHost(time, new RecordingNurtureStore(), steps: null, o => { o.Workers = AlignmentWorkers.Nurture; o.AllowInMemoryWithDurableStores = true; });
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => recording.StartAsync());
        Assert.Contains("no IDecisionOutbox is registered", ex.Message, StringComparison.Ordinal);

        using var delivering = NurtureHost(time, new SelfDeliveringNurtureStore(), steps: null, o => { o.Workers = AlignmentWorkers.Nurture; o.AllowInMemoryWithDurableStores = true; });
        await delivering.StartAsync();
        await delivering.StopAsync();
    }

    [Fact]
    public async Task A_durable_lead_document_store_makes_the_configuration_durable()
    {
        var time = new FakeTimeProvider(T0);
        using var host = TestHost.Build(time, services =>
        {
            services.AddSingleton<ILeadDocumentStore>(new DurableLeadDocumentStore());
            services.AddSingleton<ILeadScorer, NeverQualified>();
            services.AddAlignment(a => a.AddNurture(o => o.PolicyJson = NurturePolicy).AddAlignmentWorker(o => o.Workers = AlignmentWorkers.Nurture));
        });

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains("InMemoryNurtureOutbox", ex.Message, StringComparison.Ordinal);
        Assert.Contains("InMemoryDecisionSink", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allowing_in_memory_services_with_durable_stores_logs_a_warning_for_each_and_starts()
    {
        var time = new FakeTimeProvider(T0);
        var logs = new CapturingLoggerProvider();
        using var host = NurtureHost(time, new DurableNurtureStore(new InMemoryNurtureStore()), steps: null, o => { o.Workers = AlignmentWorkers.Nurture; o.AllowInMemoryWithDurableStores = true; }, logs);

        await host.StartAsync();
        await host.StopAsync();

        var warnings = logs.Entries.Where(e => e.Id.Id == 3011).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Equal(LogLevel.Warning, w.Level));
        Assert.Contains(warnings, w => w.Message.Contains("InMemoryNurtureOutbox", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Message.Contains("InMemoryDecisionSink", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Invalid_options_stop_the_start_naming_each_option()
    {
        var time = new FakeTimeProvider(T0);
        using var host = NurtureHost(time, new InMemoryNurtureStore(), null, o =>
        {
            o.InstanceId = " ";
            o.NurtureInterval = TimeSpan.Zero;
            o.LeaseDuration = TimeSpan.FromSeconds(1);
            o.SlaCheckInterval = TimeSpan.FromSeconds(1);
            o.MaxErrorBackoff = TimeSpan.FromMilliseconds(1);
            o.DecayBatchSize = 0;
            o.RelayBusyInterval = TimeSpan.Zero;
        });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(ex.Failures, f => f.StartsWith("AlignmentWorkerOptions.InstanceId:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("AlignmentWorkerOptions.NurtureInterval:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("AlignmentWorkerOptions.SlaCheckInterval:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("AlignmentWorkerOptions.MaxErrorBackoff:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("AlignmentWorkerOptions.DecayBatchSize:", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("AlignmentWorkerOptions.DecayPollInterval: 00:01:00 is more than half of LeaseDuration", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("AlignmentWorkerOptions.RelayBusyInterval: 00:00:00 is outside 00:00:00.0010000 to 01:00:00", StringComparison.Ordinal));
        Assert.Equal(7, ex.Failures.Count());
    }

    [Fact]
    public void Instance_ids_differ_between_option_instances_and_name_the_process()
    {
        var a = new AlignmentWorkerOptions().InstanceId;
        var b = new AlignmentWorkerOptions().InstanceId;

        Assert.NotEqual(a, b);
        Assert.StartsWith($"{Environment.MachineName}/{Environment.ProcessId}/", a, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_nurture_worker_sends_each_due_step_once_and_the_host_reports_healthy()
    {
        var time = new FakeTimeProvider(T0);
        var steps = new RecordingStepHandler();
        using var host = NurtureHost(time, new DurableNurtureStore(new InMemoryNurtureStore()), steps, o => { o.Workers = AlignmentWorkers.Nurture; o.NurtureInterval = TimeSpan.FromMinutes(1); }, sink: new RecordingSink());
        await host.StartAsync();
        var engine = host.Services.GetRequiredService<NurtureEngine>();
        var leads = (InMemoryLeadSnapshotSource)host.Services.GetRequiredService<ILeadSnapshotSource>();
        for (int i = 0; i < 30; i++)
        {
            var lead = new Lead(new LeadId($"n{i}"));
            leads.Put(new LeadSnapshot(lead, []));
            await engine.EnrolAsync(lead, NurtureEntryReason.NeverEngaged);
        }

        // The first step of each track is due at enrolment: sent at the worker's next cycle, once.
        await TestHost.AdvanceUntilAsync(time, TimeSpan.FromMinutes(1), () => steps.Executed.Count >= 30, 10, "first steps sent");
        for (int i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(10);
        }

        Assert.Equal(30, steps.Executed.Select(s => s.Lead.Id).Distinct().Count());
        Assert.Equal(30, steps.Executed.Count);
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Contains("nurture", report.Entries["alignment-workers"].Data.Keys);
        Assert.Equal("in-memory stores", report.Entries["alignment-stores"].Description);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_failing_worker_backs_off_logs_errors_and_turns_unhealthy_then_recovers()
    {
        var time = new FakeTimeProvider(T0);
        var logs = new CapturingLoggerProvider();
        var store = new DurableNurtureStore(new InMemoryNurtureStore()) { Fail = true };
        using var host = NurtureHost(time, store, new RecordingStepHandler(), o =>
        {
            o.Workers = AlignmentWorkers.Nurture;
            o.NurtureInterval = TimeSpan.FromSeconds(10);
            o.ErrorBackoff = TimeSpan.FromSeconds(1);
            o.MaxErrorBackoff = TimeSpan.FromSeconds(8);
        }, logs, new RecordingSink());
        await host.StartAsync();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        // 3 x 10 s + 1 minute without a successful cycle: unhealthy, naming the worker and the error type.
        await TestHost.AdvanceUntilAsync(time, TimeSpan.FromSeconds(2), () => logs.Entries.Count(e => e.Id.Id == 3002) >= 6, 200, "failures logged");
        time.Advance(TimeSpan.FromSeconds(95));
        await Task.Delay(20);
        var sick = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, sick.Status);
        Assert.Contains("nurture: no successful cycle", sick.Entries["alignment-workers"].Description, StringComparison.Ordinal);
        Assert.Contains("TimeoutException", sick.Entries["alignment-workers"].Description, StringComparison.Ordinal);

        // The waits between failures grew (1 s, 2 s, 4 s, then capped at 8 s), each within its jitter band.
        var delays = logs.Entries.Where(e => e.Id.Id == 3002).Select(e => e.Message).Take(5).ToList();
        Assert.All(logs.Entries.Where(e => e.Id.Id == 3002), e => Assert.Equal(LogLevel.Error, e.Level));
        Assert.All(logs.Entries.Where(e => e.Id.Id == 3002), e => Assert.IsType<TimeoutException>(e.Error));
        Assert.Equal(5, delays.Count);

        store.Fail = false;
        await TestHost.AdvanceUntilAsync(time, TimeSpan.FromSeconds(2), () => logs.Entries.Any(e => e.Id.Id == 3003), 20, "recovery logged");
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Status);
        await host.StopAsync();
    }
}
