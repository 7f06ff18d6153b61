using System.Collections.Concurrent;
using Alignment.Conformance.Decisions;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Scoring;
using Alignment.Storage.PostgreSql.Decisions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests.Decisions;

/// <summary>The PostgreSQL outbox against the <see cref="IDecisionOutbox"/> contract (tests/Alignment.Conformance), each test in a new schema.</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlDecisionOutboxConformanceTests(PostgreSqlFixture db) : DecisionOutboxConformance
{
    protected override async Task<IDecisionOutbox> CreateOutboxAsync()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        return new PostgreSqlDecisionOutbox(db.DataSource, schema);
    }

    protected override async Task RecordAsync(IDecisionOutbox outbox, string key, AlignmentDecision decision)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(conn, tx);
        batch.BatchCommands.Add(PostgreSqlDecisionOutbox.Insert(((PostgreSqlDecisionOutbox)outbox).Schema, key, decision));
        await batch.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }
}

/// <summary>
/// The routing store writing its decisions into the outbox in the transaction of the change: nothing is published directly, a
/// crash before delivery loses nothing (a new process's relay delivers every decision once), a rolled-back decision records
/// nothing, and a repeated SLA run records no breach twice.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlRoutingOutboxTests(PostgreSqlFixture db)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static CompiledRoutingPolicy Policy(int reps, int? cap, int maxReassignments = 0) =>
        RoutingPolicyCompiler.Compile(
            new RoutingPolicyDefinition
            {
                Id = "pg",
                FallbackQueue = "unassigned",
                Rules = [new RoutingRuleDefinition { Id = "rr", Strategy = RoutingStrategies.RoundRobin, Pool = new() { Teams = ["ae"] }, SlaMinutes = 15, Escalation = new() { MaxReassignments = maxReassignments } }],
            },
            new RosterDefinition { Reps = [.. Enumerable.Range(0, reps).Select(i => new RepDefinition { Id = $"rep-{i:00}", Team = "ae", MaxOpenLeads = cap })] });

    private static HandoffRequest Request(string id)
    {
        var lead = new Lead(new LeadId(id)) { Company = new CompanyProfile { Country = "GB" } };
        var card = new ScoreCard
        {
            LeadId = lead.Id, AsOf = Start, Total = 70, Fit = 35, Engagement = 35, Grade = Grade.B, State = QualificationState.MarketingQualified,
            Categories = [], Explanation = [], ModelId = "m", ModelVersion = "1", ModelHash = "0",
        };
        return new HandoffRequest(lead, card, null);
    }

    private async Task<string> NewSchemaAsync()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        return schema;
    }

    [Fact]
    public async Task Decisions_of_two_hosts_wait_in_the_outbox_and_a_new_process_delivers_each_once()
    {
        string schema = await NewSchemaAsync();
        var policy = Policy(5, cap: 100);
        var time = new FakeTimeProvider(Start);
        var direct = new InMemoryDecisionSink();
        using var a = new HandoffRouter(policy, new HandoffRouterServices { Store = new PostgreSqlRoutingStateStore(db.DataSource, schema, recordDecisions: true), Decisions = direct, TimeProvider = time });
        using var b = new HandoffRouter(policy, new HandoffRouterServices { Store = new PostgreSqlRoutingStateStore(db.DataSource, schema, recordDecisions: true), Decisions = direct, TimeProvider = time });

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? a : b).RouteAsync(Request($"lead-{i % 30}")).AsTask()));

        Assert.Empty(direct.Decisions); // the process "crashes" here: nothing was published directly, nothing is lost
        var sink = new KeyedSink();
        var relay = new DecisionRelay(new PostgreSqlDecisionOutbox(db.DataSource, schema), sink, batchSize: 7);
        Assert.Equal(30, await relay.DeliverPendingAsync());
        Assert.Equal(0, await relay.DeliverPendingAsync());

        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"routed:lead-{i}:1").Order(), sink.Keys.Order());
        var store = new PostgreSqlRoutingStateStore(db.DataSource, schema);
        foreach (var d in sink.Decisions.Cast<AlignmentDecision.Routed>())
        {
            var saved = await store.FindAsync(d.LeadId!.Value);
            Assert.Equal(saved!.Decision, d.Decision);
            Assert.Equal(saved.DecidedAt, d.DecidedAt);
        }
    }

    [Fact]
    public async Task A_decision_rolled_back_with_its_connection_records_nothing_and_its_retry_records_once()
    {
        string schema = await NewSchemaAsync();
        var store = new PostgreSqlRoutingStateStore(db.DataSource, schema, new PostgreSqlStoreOptions { MaxRetries = 0 }, recordDecisions: true);
        using var router = new HandoffRouter(Policy(2, cap: 5), new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = new FakeTimeProvider(Start) });
        store.BeforeCommit = async (conn, ct) =>
        {
            await using var killer = await db.DataSource.OpenConnectionAsync(ct);
            await using var cmd = new NpgsqlCommand($"SELECT pg_terminate_backend({conn.ProcessID})", killer);
            await cmd.ExecuteNonQueryAsync(ct);
        };

        await Assert.ThrowsAnyAsync<Exception>(async () => await router.RouteAsync(Request("x")));
        var outbox = new PostgreSqlDecisionOutbox(db.DataSource, schema);
        Assert.Empty(await outbox.ReadPendingAsync(10));

        store.BeforeCommit = null;
        await router.RouteAsync(Request("x"));
        await router.RouteAsync(Request("x")); // open handoff: no new decision
        Assert.Equal(["routed:x:1"], (await outbox.ReadPendingAsync(10)).Select(p => p.Key));
    }

    [Fact]
    public async Task A_breach_and_its_reassignment_are_recorded_in_order_and_a_second_sla_run_records_nothing_more()
    {
        string schema = await NewSchemaAsync();
        var time = new FakeTimeProvider(Start);
        var store = new PostgreSqlRoutingStateStore(db.DataSource, schema, recordDecisions: true);
        using var router = new HandoffRouter(Policy(3, cap: 5, maxReassignments: 1), new HandoffRouterServices { Store = store, Decisions = new InMemoryDecisionSink(), TimeProvider = time });
        await router.RouteAsync(Request("late"));
        time.Advance(TimeSpan.FromMinutes(20));

        await router.ProcessSlaBreachesAsync();
        await router.ProcessSlaBreachesAsync();

        var pending = await new PostgreSqlDecisionOutbox(db.DataSource, schema).ReadPendingAsync(10);
        Assert.Equal(["routed:late:1", "sla-breached:late:1", "routed:late:2"], pending.Select(p => p.Key));
        var breach = Assert.IsType<AlignmentDecision.SlaBreached>(pending[1].Decision);
        Assert.Equal(Start.AddMinutes(15), breach.DueAt);
        Assert.Equal(Start.AddMinutes(20), breach.DetectedAt);
        var reassigned = Assert.IsType<HandoffDecision.Assigned>(((AlignmentDecision.Routed)pending[2].Decision).Decision);
        Assert.NotEqual(breach.Rep, reassigned.Rep);
    }

    private static RoutingRelease Release(string version, int defaultSla) => RoutingRelease.Parse($$"""
        { "version": "{{version}}",
          "policy": { "id": "pg", "fallbackQueue": "unassigned", "defaultSlaMinutes": {{defaultSla}},
            "rules": [ { "id": "rr", "strategy": "roundRobin", "pool": { "teams": ["ae"] }, "slaMinutes": 15, "escalation": { "maxReassignments": 1 } } ] },
          "roster": { "reps": [ { "id": "rep-0", "team": "ae" }, { "id": "rep-1", "team": "ae" } ] } }
        """);

    [Fact]
    public async Task Each_routing_decision_keeps_the_policy_version_and_hash_in_the_outbox_the_handoff_and_its_history_after_a_restart()
    {
        string schema = await NewSchemaAsync();
        var time = new FakeTimeProvider(Start);
        var (v1, v2) = (Release("1", 60), Release("2", 90));
        using (var router = new HandoffRouter(v1.Policy, new HandoffRouterServices { Store = new PostgreSqlRoutingStateStore(db.DataSource, schema, recordDecisions: true), Decisions = new InMemoryDecisionSink(), TimeProvider = time }))
        {
            await router.RouteAsync(Request("late"));
        }

        // The policy moved on to v2 while the lead waited: v2 handles the breach and reassigns it.
        time.Advance(TimeSpan.FromMinutes(20));
        using (var router = new HandoffRouter(v2.Policy, new HandoffRouterServices { Store = new PostgreSqlRoutingStateStore(db.DataSource, schema, recordDecisions: true), Decisions = new InMemoryDecisionSink(), TimeProvider = time }))
        {
            await router.ProcessSlaBreachesAsync();
        }

        // A new process reads it all back.
        var pending = await new PostgreSqlDecisionOutbox(db.DataSource, schema).ReadPendingAsync(10);
        Assert.Equal(["routed:late:1", "sla-breached:late:1", "routed:late:2"], pending.Select(p => p.Key));
        Assert.Equal(new ModelReference("pg", "1", v1.ContentHash), ((AlignmentDecision.Routed)pending[0].Decision).Decision.Policy);
        Assert.Equal(new ModelReference("pg", "2", v2.ContentHash), ((AlignmentDecision.Routed)pending[2].Decision).Decision.Policy);
        var store = new PostgreSqlRoutingStateStore(db.DataSource, schema);
        Assert.Equal(v2.Policy.Model, (await store.FindAsync(new LeadId("late")))!.Decision.Policy);
        Assert.Equal(v1.Policy.Model, Assert.Single(await store.ListHistoryAsync(new LeadId("late"))).Decision.Policy);
    }

    [Fact]
    public void A_routed_decision_recorded_before_decisions_named_their_policy_reads_without_one()
    {
        const string Old = """{"lead":"l","rule":"rr","explanation":"x","rep":"rep-0","decidedAt":"2026-03-02T10:00:00.0000000+00:00"}""";

        var read = (AlignmentDecision.Routed)DecisionPayload.Read(1, "routed:l:1", DecisionPayload.Routed, Old);

        Assert.Null(read.Decision.Policy);
        var decision = new HandoffDecision.Queued(new LeadId("l"), "q", "rr", "x") { Policy = new ModelReference("pg", "3", new string('c', 64)) };
        var (kind, json) = DecisionPayload.Write(new AlignmentDecision.Routed(decision, Start));
        Assert.Equal(decision, ((AlignmentDecision.Routed)DecisionPayload.Read(2, "routed:l:2", kind, json)).Decision);
    }

    [Fact]
    public async Task UsePostgreSqlDecisionOutbox_makes_the_routing_store_record_and_refuses_another_schema()
    {
        string schema = await NewSchemaAsync();
        var services = new ServiceCollection();
        services.AddAlignment().UsePostgreSqlDecisionOutbox(db.ConnectionString, schema).UsePostgreSqlRoutingState(db.ConnectionString, schema);
        await using (var sp = services.BuildServiceProvider())
        {
            Assert.True(sp.GetRequiredService<IRoutingStateStore>().RecordsDecisions);
            Assert.IsType<PostgreSqlDecisionOutbox>(sp.GetRequiredService<IDecisionOutbox>());
            Assert.NotNull(sp.GetRequiredService<DecisionRelay>());
        }

        var other = new ServiceCollection();
        other.AddAlignment().UsePostgreSqlDecisionOutbox(db.ConnectionString, schema).UsePostgreSqlRoutingState(db.ConnectionString, "elsewhere");
        await using var bad = other.BuildServiceProvider();
        var ex = Assert.Throws<InvalidOperationException>(() => bad.GetRequiredService<IRoutingStateStore>());
        Assert.Contains("same schema", ex.Message, StringComparison.Ordinal);
    }
}

/// <summary>
/// The lifecycle store writing each stage change into the outbox in the save's transaction: the recorder publishes nothing
/// itself, the outbox holds every transition of the lead in order with its number in the key, and a second store instance
/// (another host) continues the numbering.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlLifecycleOutboxTests(PostgreSqlFixture db)
{
    [Fact]
    public async Task Stage_changes_are_recorded_with_their_save_and_numbered_per_lead()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(2)));
        var direct = new InMemoryDecisionSink();
        var a = new Alignment.Policies.Lifecycle.LifecycleRecorder(new Alignment.Storage.PostgreSql.Lifecycle.PostgreSqlLifecycleStore(db.DataSource, schema, recordDecisions: true), direct, time);
        var b = new Alignment.Policies.Lifecycle.LifecycleRecorder(new Alignment.Storage.PostgreSql.Lifecycle.PostgreSqlLifecycleStore(db.DataSource, schema, recordDecisions: true), direct, time);

        await a.TransitionAsync(new LeadId("l"), Alignment.Lifecycle.LifecycleStage.MarketingQualified, Alignment.Lifecycle.LifecycleActor.System, "score 70", "1.0.0");
        time.Advance(TimeSpan.FromHours(1));
        await b.TransitionAsync(new LeadId("l"), Alignment.Lifecycle.LifecycleStage.SalesAccepted, Alignment.Lifecycle.LifecycleActor.Sales, "accepted");
        await a.TransitionAsync(new LeadId("m"), Alignment.Lifecycle.LifecycleStage.MarketingQualified, Alignment.Lifecycle.LifecycleActor.System, "score 80");

        Assert.Empty(direct.Decisions);
        var pending = await new PostgreSqlDecisionOutbox(db.DataSource, schema).ReadPendingAsync(10);
        Assert.Equal(["stage-changed:l:1", "stage-changed:l:2", "stage-changed:m:1"], pending.Select(p => p.Key));
        var accepted = Assert.IsType<AlignmentDecision.StageChanged>(pending[1].Decision);
        Assert.Equal((Alignment.Lifecycle.LifecycleStage.MarketingQualified, Alignment.Lifecycle.LifecycleStage.SalesAccepted, "accepted"), (accepted.Transition.From, accepted.Transition.To, accepted.Transition.Reason));
        Assert.Equal(TimeSpan.FromHours(2), accepted.Transition.At.Offset);
        Assert.Equal("1.0.0", ((AlignmentDecision.StageChanged)pending[0].Decision).Transition.ModelVersion);
    }
}

/// <summary>
/// The nurture and campaign stores writing the nurture engine's and the campaign tracker's decisions into the outbox with the change
/// that made them (enrolments, steps sent, exits, campaign events): the engine and the tracker publish none of them themselves.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlNurtureOutboxTests(PostgreSqlFixture db)
{
    private const string PolicyJson = """{ "id": "p", "version": "1", "tracks": [ { "id": "low", "priority": 1, "cadenceDays": 7, "onExhausted": "low", "steps": [ { "id": "c", "kind": "repCallTask" } ] }, { "id": "high", "priority": 5, "entryReasons": ["recycledTiming"], "cadenceDays": 7, "onExhausted": "high", "steps": [ { "id": "c", "kind": "repCallTask" } ] } ] }""";

    [Fact]
    public async Task Enrolments_steps_exits_and_campaign_events_are_recorded_with_their_change()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var direct = new InMemoryDecisionSink();
        var leads = new Alignment.Policies.Nurture.InMemoryLeadSnapshotSource();
        var lead = new Lead(new LeadId("n"));
        var member = new Lead(new LeadId("m"));
        leads.Put(new Alignment.Policies.Nurture.LeadSnapshot(lead, []));
        leads.Put(new Alignment.Policies.Nurture.LeadSnapshot(member, []));
        var store = new Alignment.Storage.PostgreSql.Nurture.PostgreSqlNurtureStore(db.DataSource, schema, recordDecisions: true);
        var lifecycles = new Alignment.Lifecycle.InMemoryLifecycleStore();
        var handler = new Alignment.Policies.Nurture.InMemoryNurtureOutbox();
        var policy = Alignment.Policies.Nurture.NurturePolicy.Load(PolicyJson);
        var engine = new Alignment.Policies.Nurture.NurtureEngine(
            policy,
            new Alignment.Policies.Nurture.NurtureEngineServices
            {
                Store = store,
                Lifecycle = new Alignment.Policies.Lifecycle.LifecycleRecorder(lifecycles, direct, time),
                Scorer = new NeverQualifies(), Content = new Alignment.Policies.Nurture.InMemoryNurtureContentLibrary(), StepHandler = handler,
                Leads = leads, Decisions = direct, TimeProvider = time,
            });
        var campaigns = new Alignment.Storage.PostgreSql.Nurture.PostgreSqlCampaignStore(db.DataSource, schema, recordDecisions: true);
        var tracker = new Alignment.Policies.Nurture.Campaigns.CampaignTracker("w", TimeSpan.FromHours(48), engine, handler, store, lifecycles, time, campaigns);

        await engine.EnrolAsync(lead, Alignment.Nurture.NurtureEntryReason.NeverEngaged);
        await engine.RunDueAsync();
        await engine.EnrolAsync(lead, Alignment.Nurture.NurtureEntryReason.RecycledTiming);
        Assert.True(await tracker.InviteAsync(member));
        Assert.False(await tracker.InviteAsync(member));
        await tracker.RegisterAsync(member.Id);
        time.Advance(TimeSpan.FromHours(1));
        Assert.Equal((1, 0), await tracker.CloseAsync());

        Assert.DoesNotContain(direct.Decisions, d => d is AlignmentDecision.Enrolled or AlignmentDecision.NurtureStepSent or AlignmentDecision.NurtureExited or AlignmentDecision.CampaignChanged);
        var outbox = new PostgreSqlDecisionOutbox(db.DataSource, schema);
        var pending = await outbox.ReadPendingAsync(20);
        Assert.Equal(
            ["enrolled:n:1", "nurture-step-sent:n:1/0", "nurture-exited:n:1", "enrolled:n:2", "campaign-invited:m:w", "campaign-registered:m:w", "enrolled:m:1", "campaign-no-show-enrolled:m:w"],
            pending.Select(p => p.Key));
        Assert.Equal(["low", "high", "low"], pending.Select(p => p.Decision).OfType<AlignmentDecision.Enrolled>().Select(e => e.Enrolment.TrackId));
        var exited = Assert.Single(pending.Select(p => p.Decision).OfType<AlignmentDecision.NurtureExited>());
        Assert.Equal((Alignment.Nurture.NurtureExit.TrackChanged, "low"), (exited.Exit, exited.TrackId));
        Assert.Equal("c", Assert.Single(pending.Select(p => p.Decision).OfType<AlignmentDecision.NurtureStepSent>()).StepId);
        Assert.Equal(policy.Model, Assert.Single(pending.Select(p => p.Decision).OfType<AlignmentDecision.NurtureStepSent>()).Policy);
        Assert.All(pending.Select(p => p.Decision).OfType<AlignmentDecision.Enrolled>(), e => Assert.Equal(policy.Model, e.Policy));
    }

    [Fact]
    public async Task A_campaign_change_that_does_not_apply_records_nothing()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        var campaigns = new Alignment.Storage.PostgreSql.Nurture.PostgreSqlCampaignStore(db.DataSource, schema, recordDecisions: true);
        var at = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var member = new Alignment.Policies.Nurture.Campaigns.CampaignMember("w", new Lead(new LeadId("m")));
        AlignmentDecision Event(Alignment.Nurture.CampaignEvent e) => new AlignmentDecision.CampaignChanged(member.Lead.Id, "w", e, at);

        Assert.True(await campaigns.TryAddMemberAsync(member, Event(Alignment.Nurture.CampaignEvent.Invited)));
        Assert.False(await campaigns.TryAddMemberAsync(member, Event(Alignment.Nurture.CampaignEvent.Registered))); // already a member
        Assert.False(await campaigns.TryUpdateMemberAsync(member with { Status = Alignment.Policies.Nurture.Campaigns.CampaignMemberStatus.Attended }, 7, Event(Alignment.Nurture.CampaignEvent.Attended))); // stale version
        Assert.True(await campaigns.TryUpdateMemberAsync(member with { Status = Alignment.Policies.Nurture.Campaigns.CampaignMemberStatus.Registered }, 1, null)); // no decision

        var pending = await new PostgreSqlDecisionOutbox(db.DataSource, schema).ReadPendingAsync(10);
        Assert.Equal(["campaign-invited:m:w"], pending.Select(p => p.Key));
        Assert.Equal(2, (await campaigns.FindMemberAsync("w", member.Lead.Id))!.Version);
    }
}
