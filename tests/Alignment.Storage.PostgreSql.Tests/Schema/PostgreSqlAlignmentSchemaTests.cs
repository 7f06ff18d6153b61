using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Models;
using Alignment.Models.Registry;
using Alignment.Storage.PostgreSql.Lifecycle;
using Alignment.Storage.PostgreSql.Models;
using Alignment.Storage.PostgreSql.Nurture;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests.Schema;

/// <summary>
/// The schema version and its migrations: a fresh schema, a schema created by the release before versions (upgraded without
/// losing rows), running twice or from several tasks at once, and a schema newer than this release.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlAlignmentSchemaTests(PostgreSqlFixture db)
{
    private const int Bound = 60_000;
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(1));

    [Fact]
    public void Migrations_AreNumberedOneToExpectedVersionInOrder()
    {
        Assert.Equal(Enumerable.Range(1, PostgreSqlAlignmentSchema.ExpectedVersion), SchemaMigrations.All.Select(m => m.Version));
        Assert.All(SchemaMigrations.All, m => Assert.False(string.IsNullOrWhiteSpace(m.Description)));
    }

    [Fact(Timeout = Bound)]
    public async Task MigrateAsync_FreshSchema_AppliesEveryMigrationAndRecordsEach()
    {
        string schema = PostgreSqlFixture.NewSchema();
        Assert.Equal(0, await PostgreSqlAlignmentSchema.GetVersionAsync(db.DataSource, schema));

        int applied = await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);

        Assert.Equal(PostgreSqlAlignmentSchema.ExpectedVersion, applied);
        Assert.Equal(PostgreSqlAlignmentSchema.ExpectedVersion, await PostgreSqlAlignmentSchema.GetVersionAsync(db.DataSource, schema));
        var rows = await VersionRowsAsync(schema);
        Assert.Equal(SchemaMigrations.All.Select(m => (m.Version, m.Description)), rows.Select(r => (r.Version, r.Description)));
        // 12 tables of version 1 (routing, nurture, campaigns, lifecycle, the version table), 2 of version 2 (leases, score watches)
        // 1 of version 3 (the decision outbox), 3 of version 5 (the model registry), 2 of version 8 (lead documents, ingest receipts),
        // 2 of version 9 (the challenger ledger), 2 of version 10 (webhook subscriptions and deliveries) and 5 of version 12 (content).
        Assert.Equal(29, (await CatalogAsync(schema)).Count(l => l.StartsWith("table ", StringComparison.Ordinal)));
    }

    [Fact(Timeout = Bound)]
    public async Task MigrateAsync_RunTwice_SecondRunChangesNothing()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        var before = await VersionRowsAsync(schema);
        var catalog = await CatalogAsync(schema);

        Assert.Equal(0, await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema));
        await new PostgreSqlNurtureStore(db.DataSource, schema).MigrateAsync();

        Assert.Equal(before, await VersionRowsAsync(schema));
        Assert.Equal(catalog, await CatalogAsync(schema));
    }

    [Fact(Timeout = Bound)]
    public async Task MigrateAsync_FromFourTasksAtOnce_OneAppliesAndAllSucceed()
    {
        string schema = PostgreSqlFixture.NewSchema();
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        })).ToArray();
        start.Set();

        int[] applied = await Task.WhenAll(tasks);

        Assert.Equal(PostgreSqlAlignmentSchema.ExpectedVersion, applied.Sum());
        Assert.Contains(applied, a => a > 0);
        Assert.Equal(Enumerable.Range(1, PostgreSqlAlignmentSchema.ExpectedVersion), (await VersionRowsAsync(schema)).Select(r => r.Version));
    }

    [Fact(Timeout = Bound)]
    public async Task MigrateAsync_SchemaCreatedByThePreviousRelease_IsRecordedAsVersion1AndKeepsItsRows()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await LegacySchema.CreateAsync(db.DataSource, schema);
        var lifecycles = new PostgreSqlLifecycleStore(db.DataSource, schema);
        var mql = LeadLifecycle.Start(new LeadId("old")).Transition(LifecycleStage.MarketingQualified, T0, LifecycleActor.System, "score 72 >= 60", "model@1");
        Assert.True(await lifecycles.TrySaveAsync(mql, 0));
        await ExecuteAsync($"INSERT INTO {schema}.handoff_pool (pool_key, last_rep_id, member_ids, weights) VALUES ('ae', 'rep-01', '{{rep-00,rep-01}}', '{{1,2}}')");
        Assert.Equal(0, await PostgreSqlAlignmentSchema.GetVersionAsync(db.DataSource, schema));

        int applied = await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);

        Assert.Equal(PostgreSqlAlignmentSchema.ExpectedVersion, applied);
        Assert.Equal(PostgreSqlAlignmentSchema.ExpectedVersion, await PostgreSqlAlignmentSchema.GetVersionAsync(db.DataSource, schema));
        Assert.Equal(1, (await VersionRowsAsync(schema))[0].Version);
        var found = await lifecycles.FindAsync(new LeadId("old"));
        Assert.NotNull(found);
        Assert.Equal((mql.Stage, mql.Version), (found.Stage, found.Version));
        Assert.Equal(mql.History.Select(t => (t.At.UtcTicks, t.At.Offset, t.Reason, t.ModelVersion)), found.History.Select(t => (t.At.UtcTicks, t.At.Offset, t.Reason, t.ModelVersion)));
        Assert.Equal("rep-01|rep-00,rep-01", await ScalarAsync<string>($"SELECT last_rep_id || '|' || array_to_string(member_ids, ',') FROM {schema}.handoff_pool"));
        Assert.True(await lifecycles.TrySaveAsync(found.Transition(LifecycleStage.SalesAccepted, T0.AddHours(1), LifecycleActor.Sales, "accepted"), 1));
    }

    [Fact(Timeout = Bound)]
    public async Task Migration1_CreatesExactlyTheTablesOfThePreviousRelease()
    {
        string legacy = PostgreSqlFixture.NewSchema();
        string fresh = PostgreSqlFixture.NewSchema();
        await LegacySchema.CreateAsync(db.DataSource, legacy);
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, fresh);

        var expected = await CatalogAsync(legacy);
        // Everything but the version table and what later migrations add (version 2: worker_lease, score_watch and their index and
        // sequence; version 3: decision_outbox and its indexes; version 5: model_release, model_release_approval and model_activation;
        // version 6: the handoffs' policy_version and policy_hash columns; version 7: the policy columns of the nurture tables;
        // version 8: lead_document, ingest_receipt and its index; version 9: challenger_attachment, challenger_lead; version 10: webhook_subscription, webhook_delivery and their indexes; version 12: the pre-event call columns of campaign_member; version 13: the content_* tables).
        var actual = (await CatalogAsync(fresh))
            .Where(l => !l.Contains("alignment_schema_version", StringComparison.Ordinal) && !l.Contains("worker_lease", StringComparison.Ordinal)
                && !l.Contains("score_watch", StringComparison.Ordinal) && !l.Contains("decision_outbox", StringComparison.Ordinal)
                && !l.Contains("model_release", StringComparison.Ordinal) && !l.Contains("model_activation", StringComparison.Ordinal)
                && !l.Contains("lead_document", StringComparison.Ordinal) && !l.Contains("ingest_receipt", StringComparison.Ordinal)
                && !l.Contains("webhook_", StringComparison.Ordinal) && !l.Contains("challenger_", StringComparison.Ordinal)
                && !(l.Split(' ') is [_, var name, ..] && name.StartsWith("content_", StringComparison.Ordinal))
                && !(l.StartsWith("column handoff_assignment", StringComparison.Ordinal)
                    && (l.Contains(".policy_version ", StringComparison.Ordinal) || l.Contains(".policy_hash ", StringComparison.Ordinal)))
                && !(l.StartsWith("column nurture_", StringComparison.Ordinal) && (l.Contains(".policy_id ", StringComparison.Ordinal)
                    || l.Contains(".policy_hash ", StringComparison.Ordinal) || l.Contains("nurture_sent_step.policy_version ", StringComparison.Ordinal)))
                && !(l.StartsWith("column campaign_member", StringComparison.Ordinal) && (l.Contains(".pre_event_", StringComparison.Ordinal) || l.Contains(".interests ", StringComparison.Ordinal))))
            .ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }

    [Fact(Timeout = Bound)]
    public async Task Migration4_ScoreWatchesOfVersion3_KeepTheirWakeTimeAsTheirCrossingAndMoveOn()
    {
        // A schema at version 3 with watches written as the release before migration 4 wrote them (one wake time, the crossing).
        string schema = await SchemaAtVersionAsync(3);

        var wake = T0.AddDays(2).AddTicks(123_457);
        var later = T0.AddDays(9);
        foreach (var (lead, at) in new[] { ("due", wake), ("later", later) })
        {
            await ExecuteAsync($"""
                INSERT INTO {schema}.score_watch (lead_id, state, wake_at, wake_ticks, wake_offset, version)
                VALUES ('{lead}', {(int)Alignment.Scoring.QualificationState.MarketingQualified}, '{at.UtcDateTime:O}', {at.UtcTicks}, {(int)at.Offset.TotalMinutes}, nextval('{schema}.score_watch_version'))
                """);
        }

        Assert.Equal(3, await PostgreSqlAlignmentSchema.GetVersionAsync(db.DataSource, schema));

        Assert.Equal(PostgreSqlAlignmentSchema.ExpectedVersion - 3, await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema));

        Assert.Equal(PostgreSqlAlignmentSchema.ExpectedVersion, await PostgreSqlAlignmentSchema.GetVersionAsync(db.DataSource, schema));
        var store = new Alignment.Storage.PostgreSql.Scoring.PostgreSqlScoreWatchStore(db.DataSource, schema);
        var due = Assert.Single(await store.GetDueAsync(wake, 10));
        Assert.Equal(("due", Alignment.Scoring.QualificationState.MarketingQualified, (DateTimeOffset?)wake, wake), (due.LeadId.Value, due.State, due.CrossingAt, due.WakeAt));
        Assert.Equal(wake.Offset, due.CrossingAt!.Value.Offset);
        Assert.Equal((null, null), (due.OwedFrom, due.RetryAt));
        Assert.Equal(wake, await store.GetNextWakeAsync());

        // The migrated watch moves on like a new one: an owed action with its retry, the crossing ahead kept.
        var retry = wake.AddMinutes(5);
        var move = new Alignment.Scoring.ScoreWatchUpdate(Alignment.Scoring.QualificationState.NotQualified, later) { OwedFrom = Alignment.Scoring.QualificationState.MarketingQualified, RetryAt = retry };
        Assert.True(await store.TryUpdateAsync(due, move));
        var moved = (await store.FindAsync(new LeadId("due")))!;
        Assert.Equal((Alignment.Scoring.QualificationState.NotQualified, (DateTimeOffset?)later, retry), (moved.State, moved.CrossingAt, moved.WakeAt));
        Assert.Equal(later, (await store.FindAsync(new LeadId("later")))!.CrossingAt);
    }

    [Fact(Timeout = Bound)]
    public async Task Migration5_Version4Schema_GainsTheModelRegistryAndKeepsItsRows()
    {
        string schema = await SchemaAtVersionAsync(4);
        await ExecuteAsync($"INSERT INTO {schema}.worker_lease (name, holder, term, expires_at) VALUES ('sla', 'host-a', 3, now())");
        var registry = new PostgreSqlModelRegistry(db.DataSource, schema, timeProvider: new FakeTimeProvider(T0));
        var key = new ReleaseKey("eu", ModelKind.Scoring, "fit", "1.0.0");
        await Assert.ThrowsAsync<PostgresException>(async () => await registry.FindAsync(key));

        Assert.Equal(PostgreSqlAlignmentSchema.ExpectedVersion - 4, await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema));

        Assert.Equal(PostgreSqlAlignmentSchema.ExpectedVersion, await PostgreSqlAlignmentSchema.GetVersionAsync(db.DataSource, schema));
        Assert.Equal(1L, await ScalarAsync<long>($"SELECT count(*) FROM {schema}.worker_lease WHERE holder = 'host-a' AND term = 3"));
        var release = await registry.PublishAsync(new ModelRelease(key, """{ "id": "fit" }""", new string('c', 64)));
        await registry.ApproveAsync(key, new ModelApproval("mia", ApprovalSide.Marketing, T0, release.ContentHash));
        await registry.ApproveAsync(key, new ModelApproval("sam", ApprovalSide.Sales, T0, release.ContentHash));
        var activation = await registry.ActivateAsync(key, "ops", "first release after the upgrade");
        Assert.Equal((1L, T0), (activation.Sequence, (await registry.GetActiveAsync("eu", ModelKind.Scoring))!.At));
        Assert.Equal(0, await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema));
    }

    [Fact(Timeout = Bound)]
    public async Task Migration6_HandoffsOfVersion5_ReadWithoutAPolicyReference_AndNewOnesKeepIt()
    {
        // A schema at version 5 with a handoff (and its history) written as the release before migration 6 wrote them.
        string schema = await SchemaAtVersionAsync(5);
        foreach (var (table, epoch) in new[] { ("handoff_assignment_history", 1), ("handoff_assignment", 2) })
        {
            await ExecuteAsync($"""
                INSERT INTO {schema}.{table} (lead_id, epoch, policy_id, rule_id, rep_id, queue, explanation, decided_at, status, phase, qualification,
                    reassignments, escalated, f_score, f_grade, f_state)
                VALUES ('old', {epoch}, 'acme', 'rr', 'ana', NULL, 'why', '{T0.UtcDateTime:O}', 1, 0, false, 0, false, 70, 1, 1)
                """);
        }

        Assert.Equal(PostgreSqlAlignmentSchema.ExpectedVersion - 5, await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema));

        var store = new PostgreSqlRoutingStateStore(db.DataSource, schema);
        var old = await store.FindAsync(new LeadId("old"));
        Assert.Equal(("acme", "ana", null), (old!.PolicyId, old.Rep?.Value, old.Decision.Policy));
        Assert.Null(Assert.Single(await store.ListHistoryAsync(new LeadId("old"))).Decision.Policy);
        Assert.Equal(1L, await ScalarAsync<long>($"SELECT count(*) FROM {schema}.handoff_assignment WHERE policy_hash IS NULL"));
    }

    [Fact(Timeout = Bound)]
    public async Task Migration7_Version6NurtureRows_AreKeptWithoutAPolicyAndNewOnesRecordTheirs()
    {
        string schema = await SchemaAtVersionAsync(6);
        await ExecuteAsync($"""
            INSERT INTO {schema}.nurture_enrolment (lead_id, sequence, track_id, reason, enrolled_at, policy_version, next_step, next_due_at, status, version)
            VALUES ('old', 1, 'default', 0, '{T0.UtcDateTime:O}', '1.0.0', 1, '{T0.AddDays(7).UtcDateTime:O}', 0, 3);
            INSERT INTO {schema}.nurture_sent_step (enrolment_id, step_index, lead_id, track_id, step_id, kind, content_id, sent_at, explanation)
            VALUES ('old:1', 0, 'old', 'default', 'welcome', 0, NULL, '{T0.UtcDateTime:O}', 'step 1');
            """);

        Assert.Equal(PostgreSqlAlignmentSchema.ExpectedVersion - 6, await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema));

        var store = new PostgreSqlNurtureStore(db.DataSource, schema);
        var old = (await store.FindLatestAsync(new LeadId("old")))!;
        Assert.Equal(("default", "1.0.0", 3, (ModelReference?)null), (old.TrackId, old.PolicyVersion, old.Version, old.Policy));
        Assert.Null(Assert.Single(await store.ListSentAsync(new LeadId("old"))).Policy);
        var v2 = new ModelReference("acme-nurture", "2.0.0", new string('d', 64));
        Assert.True(await store.TryUpdateAsync(old with { Status = Alignment.Policies.Nurture.NurtureEnrolmentStatus.Ended, NextDueAt = null, EndedAt = T0.AddDays(1), StatusReason = "moved" }, 3, old with { Sequence = 2, PolicyVersion = "2.0.0", Policy = v2, NextStep = 0 }));
        Assert.Equal(v2, (await store.FindLatestAsync(new LeadId("old")))!.Policy);
    }

    [Fact(Timeout = Bound)]
    public async Task Migration8_Version7Schema_GainsTheLeadDocumentTablesAndKeepsItsRows()
    {
        string schema = await SchemaAtVersionAsync(7);
        await ExecuteAsync($"INSERT INTO {schema}.worker_lease (name, holder, term, expires_at) VALUES ('sla', 'host-a', 3, now())");
        var store = new Alignment.Storage.PostgreSql.Leads.PostgreSqlLeadDocumentStore(db.DataSource, schema);
        await Assert.ThrowsAsync<PostgresException>(async () => await store.FindAsync(new LeadId("new")));

        Assert.Equal(PostgreSqlAlignmentSchema.ExpectedVersion - 7, await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema));

        Assert.Equal(PostgreSqlAlignmentSchema.ExpectedVersion, await PostgreSqlAlignmentSchema.GetVersionAsync(db.DataSource, schema));
        Assert.Equal(1L, await ScalarAsync<long>($"SELECT count(*) FROM {schema}.worker_lease WHERE holder = 'host-a' AND term = 3"));
        var document = new LeadDocument(new LeadId("new"), 1, """{"name":"Ada"}""", T0);
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(document, 0, new IngestReceipt("k", document.LeadId, "h", "{}", T0)));
        Assert.Equal(document, await store.FindAsync(document.LeadId));
        Assert.Equal(0, await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema));
    }

    [Fact(Timeout = Bound)]
    public async Task MigrateAsync_SchemaNewerThanThisRelease_IsRefusedNamingBothVersions()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        int newer = PostgreSqlAlignmentSchema.ExpectedVersion + 1;
        await ExecuteAsync($"INSERT INTO {schema}.alignment_schema_version (version, description) VALUES ({newer}, 'from the future')");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema));
        await Assert.ThrowsAsync<InvalidOperationException>(() => new PostgreSqlRoutingStateStore(db.DataSource, schema).MigrateAsync());

        Assert.Contains($"'{schema}' is at version {newer}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"versions up to {PostgreSqlAlignmentSchema.ExpectedVersion}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(newer, await PostgreSqlAlignmentSchema.GetVersionAsync(db.DataSource, schema));
    }

    [Fact]
    public async Task MigrateAsync_BadArguments_AreRejectedBeforeConnecting()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => PostgreSqlAlignmentSchema.MigrateAsync(null!));
        await Assert.ThrowsAsync<ArgumentException>(() => PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, "Bad-Schema"));
        await Assert.ThrowsAsync<ArgumentException>(() => PostgreSqlAlignmentSchema.GetVersionAsync(db.DataSource, "1x"));
    }

    /// <summary>A new schema brought to <paramref name="version"/> by the migrations of that time, as an older release left it.</summary>
    private async Task<string> SchemaAtVersionAsync(int version)
    {
        string schema = PostgreSqlFixture.NewSchema();
        await ExecuteAsync($"CREATE SCHEMA {schema}; CREATE TABLE {schema}.alignment_schema_version (version int PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());");
        foreach (var m in SchemaMigrations.All.Take(version))
        {
            await ExecuteAsync(m.Sql(schema) + $"; INSERT INTO {schema}.alignment_schema_version (version, description) VALUES ({m.Version}, 'v{m.Version}')");
        }

        return schema;
    }

    private async Task<List<(int Version, string Description, DateTime AppliedAt)>> VersionRowsAsync(string schema)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand($"SELECT version, description, applied_at FROM {schema}.alignment_schema_version ORDER BY version", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(int, string, DateTime)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1), reader.GetDateTime(2)));
        }

        return rows;
    }

    /// <summary>Every column (type, nullability, default, generation), constraint and index of the schema, with the schema name taken out.</summary>
    private async Task<List<string>> CatalogAsync(string schema)
    {
        const string sql = """
            SELECT 'table ' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'
            UNION ALL
            SELECT 'column ' || table_name || '.' || column_name || ' ' || ordinal_position || ' ' || data_type || ' ' || is_nullable || ' '
                || coalesce(column_default, '-') || ' ' || is_generated || ' ' || coalesce(generation_expression, '-')
            FROM information_schema.columns WHERE table_schema = $1
            UNION ALL
            SELECT 'constraint ' || cl.relname || ' ' || co.conname || ' ' || pg_get_constraintdef(co.oid)
            FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = $1
            UNION ALL
            SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = $1
            """;
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = schema });
        await using var reader = await cmd.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0).Replace(schema + ".", "<schema>.", StringComparison.Ordinal));
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
