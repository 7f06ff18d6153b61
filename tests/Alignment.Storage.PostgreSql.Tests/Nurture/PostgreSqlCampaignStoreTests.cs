using Alignment.Conformance.Nurture.Campaigns;
using Alignment.Leads;
using Alignment.Policies.Nurture.Campaigns;
using Alignment.Storage.PostgreSql.Nurture;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests.Nurture;

/// <summary>
/// What only the PostgreSQL campaign store does: it keeps just the lead's routing and nurture facts, times are queryable in SQL,
/// migrations, schema names and DI. The <see cref="ICampaignStore"/> contract itself runs in
/// <see cref="PostgreSqlCampaignStoreConformanceTests"/>.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlCampaignStoreTests(PostgreSqlFixture db)
{
    // A non-UTC offset and sub-microsecond ticks: a timestamptz would lose both.
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(5.5)).AddTicks(1_234_567);

    private static Lead FullLead(string id) => new(new LeadId(id))
    {
        AccountId = new AccountId("acc-" + id),
        Company = new CompanyProfile { Country = "DE", Region = "EMEA", Domain = id + ".example.de" },
        Person = new PersonProfile { Language = "de" },
        Source = "Webinar",
    };

    private static CampaignMember Invited(string campaign, string lead) => new(campaign, new Lead(new LeadId(lead)));

    private static (long UtcTicks, TimeSpan Offset)? Exact(DateTimeOffset? at) => at is { } a ? (a.UtcTicks, a.Offset) : null;

    [Fact]
    public async Task FindMemberAsync_KeepsOnlyTheRoutingAndNurtureFactsOfTheLead()
    {
        var store = new PostgreSqlCampaignStore(db.DataSource, PostgreSqlFixture.NewSchema());
        await store.MigrateAsync();
        var lead = FullLead("a") with
        {
            Person = new PersonProfile { Language = "fr", Name = "Ada Lovelace", Email = "ada@example.fr", JobTitle = "CTO" },
            Company = new CompanyProfile { Country = "FR", Region = "EMEA", Domain = "example.fr", Name = "Example", EmployeeCount = 250 },
            Campaign = "spring",
            CreatedAt = T0,
        };
        Assert.True(await store.TryAddMemberAsync(new CampaignMember("w", lead)));

        var found = (await store.FindMemberAsync("w", new LeadId("a")))!.Lead;

        var expected = new Lead(new LeadId("a"))
        {
            AccountId = new AccountId("acc-a"),
            Company = new CompanyProfile { Country = "FR", Region = "EMEA", Domain = "example.fr" },
            Person = new PersonProfile { Language = "fr" },
            Source = "Webinar",
        };
        Assert.Equal(expected, found);
        Assert.Null(found.Person.Email);
        Assert.Null(found.Person.Name);
    }

    [Fact]
    public async Task Times_AreQueryableWithSql()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var store = new PostgreSqlCampaignStore(db.DataSource, schema);
        await store.MigrateAsync();
        Assert.True(await store.TryAddMemberAsync(Invited("w", "a") with { FollowUpDueAt = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(1)) }));
        await store.CloseAsync("w", new DateTimeOffset(2026, 3, 2, 11, 0, 0, TimeSpan.FromHours(2)));

        await using var cmd = db.DataSource.CreateCommand(
            $"SELECT (SELECT count(*) FROM {schema}.campaign_member WHERE follow_up_due_at = '2026-03-02T09:00:00Z') + (SELECT count(*) FROM {schema}.campaign WHERE closed_at = '2026-03-02T09:00:00Z')");
        Assert.Equal(2L, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task MigrateAsync_IsIdempotent_AndSafeToRunConcurrently()
    {
        var store = new PostgreSqlCampaignStore(db.DataSource, PostgreSqlFixture.NewSchema());
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => store.MigrateAsync())));
        Assert.True(await store.TryAddMemberAsync(Invited("w", "a")));
        await store.CloseAsync("w", T0);

        await store.MigrateAsync();

        Assert.NotNull(await store.FindMemberAsync("w", new LeadId("a")));
        Assert.Equal(Exact(T0), Exact(await store.FindClosedAtAsync("w")));
    }

    [Fact]
    public void Constructor_RejectsSchemaThatIsNotAPlainIdentifier()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PostgreSqlCampaignStore(db.DataSource, "public; drop table x"));
        Assert.Equal("schema", ex.ParamName);
        Assert.Throws<ArgumentException>(() => new PostgreSqlCampaignStore(db.DataSource, "Campaigns"));
        Assert.Throws<ArgumentException>(() => new PostgreSqlCampaignStore(db.DataSource, ""));
        Assert.Throws<ArgumentNullException>(() => new PostgreSqlCampaignStore(null!));
    }

    [Fact]
    public async Task UsePostgreSqlCampaignStore_RegistersTheStoreAsTheCampaignStore()
    {
        string schema = PostgreSqlFixture.NewSchema();
        var services = new ServiceCollection();
        services.AddSingleton<ICampaignStore, InMemoryCampaignStore>(); // replaced
        services.AddAlignment().UsePostgreSqlCampaignStore(db.ConnectionString, schema);
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<ICampaignStore>();
        Assert.IsType<PostgreSqlCampaignStore>(store);
        Assert.Same(provider.GetRequiredService<PostgreSqlCampaignStore>(), store);
        Assert.Single(services, d => d.ServiceType == typeof(ICampaignStore));
        await provider.GetRequiredService<PostgreSqlCampaignStore>().MigrateAsync();
        Assert.True(await store.TryAddMemberAsync(Invited("w", "a")));
        Assert.Equal(1, (await store.FindMemberAsync("w", new LeadId("a")))!.Version);
        await provider.GetRequiredService<NpgsqlDataSource>().DisposeAsync();

        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddAlignment().UsePostgreSqlCampaignStore(db.ConnectionString, "Bad-Schema"));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddAlignment().UsePostgreSqlCampaignStore(" "));
    }
}

/// <summary>The PostgreSQL campaign store against the <see cref="ICampaignStore"/> contract (tests/Alignment.Conformance), each test in a new schema.</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlCampaignStoreConformanceTests(PostgreSqlFixture db) : CampaignStoreConformance
{
    protected override async Task<ICampaignStore> CreateStoreAsync()
    {
        var store = new PostgreSqlCampaignStore(db.DataSource, PostgreSqlFixture.NewSchema());
        await store.MigrateAsync();
        return store;
    }
}
