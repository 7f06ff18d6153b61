using Alignment.Conformance.Leads;
using Alignment.Leads;
using Alignment.Storage.PostgreSql.Leads;
using Alignment.Storage.PostgreSql.Tests.Schema;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests.Leads;

/// <summary>
/// What only the PostgreSQL lead document store does (the JSON text and times as SQL sees them, a retry after a lost commit
/// reply, DI); the <see cref="ILeadDocumentStore"/> contract itself runs in <see cref="PostgreSqlLeadDocumentStoreConformanceTests"/>.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlLeadDocumentStoreTests(PostgreSqlFixture db)
{
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(1)).AddTicks(1_234_567);
    private static readonly PostgreSqlStoreOptions Retrying = new() { MaxRetries = 3, RetryDelay = TimeSpan.FromMilliseconds(5) };

    private async Task<PostgreSqlLeadDocumentStore> StoreAsync(string schema, PostgreSqlStoreOptions? options = null)
    {
        var store = new PostgreSqlLeadDocumentStore(db.DataSource, schema, options);
        await store.MigrateAsync();
        return store;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var cmd = db.DataSource.CreateCommand(sql);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Documents_and_receipts_are_queryable_with_sql_and_the_json_is_kept_as_text()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var store = await StoreAsync(schema);
        const string Json = """{ "b": 1,  "a": "Zoë" }""";
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(new LeadDocument(new LeadId("q"), 1, Json, T0), 0, new IngestReceipt("k", new LeadId("q"), "h", "{}", T0)));

        Assert.Equal(Json, await ScalarAsync<string>($"SELECT document FROM {schema}.lead_document WHERE lead_id = 'q'"));
        Assert.Equal("Zoë", await ScalarAsync<string>($"SELECT document::jsonb ->> 'a' FROM {schema}.lead_document WHERE date_trunc('second', updated_at) = '2026-03-02T09:00:00Z'"));
        Assert.Equal(60L, await ScalarAsync<long>($"SELECT updated_offset::bigint FROM {schema}.lead_document"));
        Assert.Equal(1L, await ScalarAsync<long>($"SELECT count(*) FROM {schema}.ingest_receipt WHERE lead_id = 'q' AND date_trunc('second', at) = '2026-03-02T09:00:00Z'"));
    }

    [Fact]
    public async Task A_save_whose_commit_reply_was_lost_is_recognised_by_the_retry()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var store = await StoreAsync(schema, Retrying);

        // With a receipt: the retry finds exactly its receipt, so the save was committed.
        var retries = PostgreSqlLostCommitReplyTests.LoseNextCommitReply(store.Retry);
        var first = new LeadDocument(new LeadId("r"), 1, """{"v":1}""", T0);
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(first, 0, new IngestReceipt("k-r", new LeadId("r"), "h", "{}", T0)));
        Assert.Equal(1, retries.Value);

        // Without a receipt: the retry finds exactly its document at its version.
        retries = PostgreSqlLostCommitReplyTests.LoseNextCommitReply(store.Retry);
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(first with { Version = 2, Json = """{"v":2}""" }, 1, null));
        Assert.Equal(1, retries.Value);

        // Another writer moved the lead on before the retry: whether this call's version was saved can no longer be told.
        retries = PostgreSqlLostCommitReplyTests.LoseNextCommitReply(store.Retry, meanwhile: () =>
        {
            using var cmd = db.DataSource.CreateCommand($"UPDATE {schema}.lead_document SET version = 4 WHERE lead_id = 'r'");
            cmd.ExecuteNonQuery();
        });
        await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await store.SaveAsync(first with { Version = 3, Json = """{"v":3}""" }, 2, null));

        // A conflict that was not in doubt stays a conflict.
        store.Retry.AfterCommit = null;
        Assert.Equal(LeadDocumentSave.VersionConflict, await store.SaveAsync(first with { Version = 3 }, 2, null));
        Assert.Equal(LeadDocumentSave.ReceiptExists, await store.SaveAsync(first with { Version = 5 }, 4, new IngestReceipt("k-r", new LeadId("r"), "h", "{}", T0)));
    }

    [Fact]
    public async Task An_add_whose_commit_reply_was_lost_is_recognised_by_the_retry_as_added()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var store = await StoreAsync(schema, Retrying);
        var first = new LeadDocument(new LeadId("a"), 1, """{"v":1}""", T0);

        // The retry finds exactly its document: it was added (not "stored already", which would make the ingest say "updated").
        var retries = PostgreSqlLostCommitReplyTests.LoseNextCommitReply(store.Retry);
        Assert.Null(await store.AddOrFindAsync(first));
        Assert.Equal(1, retries.Value);

        // Another writer's first document, found by a retry: stored already, whatever the retry was in doubt about.
        retries = PostgreSqlLostCommitReplyTests.LoseNextCommitReply(store.Retry, meanwhile: () =>
        {
            using var cmd = db.DataSource.CreateCommand($"UPDATE {schema}.lead_document SET document = '{{\"v\":\"other\"}}' WHERE lead_id = 'b'");
            cmd.ExecuteNonQuery();
        });
        var found = await store.AddOrFindAsync(first with { LeadId = new LeadId("b") });
        Assert.Equal(1, retries.Value);
        Assert.Equal("""{"v": "other"}""".Replace(" ", string.Empty, StringComparison.Ordinal), found!.Json.Replace(" ", string.Empty, StringComparison.Ordinal));

        // Its own first document, moved past version 1 before the retry: whose it was can no longer be told.
        PostgreSqlLostCommitReplyTests.LoseNextCommitReply(store.Retry, meanwhile: () =>
        {
            using var cmd = db.DataSource.CreateCommand($"UPDATE {schema}.lead_document SET version = 2 WHERE lead_id = 'c'");
            cmd.ExecuteNonQuery();
        });
        var unknown = await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await store.AddOrFindAsync(first with { LeadId = new LeadId("c") }));
        Assert.Contains("lead c", unknown.Message, StringComparison.Ordinal);

        store.Retry.AfterCommit = null;
        Assert.Equal(1L, await ScalarAsync<long>($"SELECT count(*) FROM {schema}.lead_document WHERE lead_id = 'a'"));
    }

    [Fact]
    public void Constructor_RejectsSchemaThatIsNotAPlainIdentifier()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PostgreSqlLeadDocumentStore(db.DataSource, "public; drop table x"));
        Assert.Equal("schema", ex.ParamName);
        Assert.Throws<ArgumentNullException>(() => new PostgreSqlLeadDocumentStore(null!));
    }

    [Fact]
    public async Task UsePostgreSqlLeadDocumentStore_ReplacesTheInMemoryStore()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var services = new ServiceCollection();
        services.AddAlignment().UsePostgreSqlLeadDocumentStore(db.ConnectionString, schema);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<ILeadDocumentStore>();
        Assert.IsType<PostgreSqlLeadDocumentStore>(store);
        Assert.Contains(provider.GetServices<Alignment.Diagnostics.IStoreHealthProbe>(), p => p.Name == $"postgresql:{schema}");
        await provider.GetRequiredService<PostgreSqlLeadDocumentStore>().MigrateAsync();
        Assert.Equal(LeadDocumentSave.Saved, await store.SaveAsync(new LeadDocument(new LeadId("s"), 1, "{}", T0), 0, null));
        Assert.Equal(1, (await store.FindAsync(new LeadId("s")))!.Version);
        await provider.GetRequiredService<NpgsqlDataSource>().DisposeAsync();

        // A later AddAlignment (its in-memory default is a TryAdd) keeps it.
        var before = new ServiceCollection();
        var builder = before.AddAlignment();
        builder.UsePostgreSqlLeadDocumentStore(db.ConnectionString, schema);
        before.AddAlignment();
        await using (var provider2 = before.BuildServiceProvider())
        {
            Assert.IsType<PostgreSqlLeadDocumentStore>(provider2.GetRequiredService<ILeadDocumentStore>());
            await provider2.GetRequiredService<NpgsqlDataSource>().DisposeAsync();
        }

        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddAlignment().UsePostgreSqlLeadDocumentStore(db.ConnectionString, "Bad-Schema"));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddAlignment().UsePostgreSqlLeadDocumentStore(" "));
    }
}

/// <summary>The PostgreSQL lead document store against the <see cref="ILeadDocumentStore"/> contract (tests/Alignment.Conformance), each test in a new schema.</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlLeadDocumentStoreConformanceTests(PostgreSqlFixture db) : LeadDocumentStoreConformance
{
    protected override async Task<ILeadDocumentStore> CreateStoreAsync()
    {
        var store = new PostgreSqlLeadDocumentStore(db.DataSource, PostgreSqlFixture.NewSchema());
        await store.MigrateAsync();
        await store.MigrateAsync(); // idempotent
        return store;
    }
}

/// <summary>Two hosts sharing one PostgreSQL lead document store (separate data sources, separate store instances) receive one idempotency key at once.</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlIdempotencyAcrossInstancesTests(PostgreSqlFixture db)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Exactly_one_instance_claims_a_key_the_others_see_it_pending_then_answered()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var sources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(db.ConnectionString)).ToList();
        try
        {
            var stores = sources.Select(s => new PostgreSqlLeadDocumentStore(s, schema)).ToList();
            await stores[0].MigrateAsync();
            for (int round = 0; round < 10; round++)
            {
                string key = $"key-{round}";
                var claims = await Task.WhenAll(stores.SelectMany(s => new[] { s, s }).Select(s => Task.Run(async () => (Store: s, Claim: await s.ClaimKeyAsync(key, T0, TimeSpan.FromMinutes(1))))));
                var winner = Assert.Single(claims, c => c.Claim.Status == Alignment.Leads.IngestKeyClaimStatus.Claimed);
                Assert.All(claims.Where(c => c != winner), c => Assert.Equal(Alignment.Leads.IngestKeyClaimStatus.Pending, c.Claim.Status));

                var receipt = new Alignment.Leads.IngestReceipt(key, new Alignment.Leads.LeadId($"lead-{round}"), "h", "{\"ok\":true}", T0);
                Assert.Equal(Alignment.Leads.LeadDocumentSave.Saved, await winner.Store.SaveAsync(new Alignment.Leads.LeadDocument(new Alignment.Leads.LeadId($"lead-{round}"), 1, "{}", T0), 0, receipt));
                foreach (var other in stores)
                {
                    var seen = await other.ClaimKeyAsync(key, T0.AddSeconds(1), TimeSpan.FromMinutes(1));
                    Assert.Equal(Alignment.Leads.IngestKeyClaimStatus.Answered, seen.Status);
                    Assert.Equal("{\"ok\":true}", seen.Receipt!.ResponseJson);
                }
            }
        }
        finally
        {
            foreach (var s in sources)
            {
                await s.DisposeAsync();
            }
        }
    }
}
