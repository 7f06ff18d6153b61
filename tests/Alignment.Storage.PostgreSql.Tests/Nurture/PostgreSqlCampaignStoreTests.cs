using Alignment.Leads;
using Alignment.Policies.Nurture.Campaigns;
using Alignment.Segmentation;
using Alignment.Storage.PostgreSql.Nurture;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests.Nurture;

/// <summary>
/// The PostgreSQL campaign store against a real server, and the same contract checks against the in-memory store, so both
/// answer every case alike.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlCampaignStoreTests(PostgreSqlFixture db)
{
    // A non-UTC offset and sub-microsecond ticks: a timestamptz would lose both.
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(5.5)).AddTicks(1_234_567);

    public static TheoryData<string> Stores => new() { "postgresql", "memory" };

    private async Task<ICampaignStore> NewStoreAsync(string kind)
    {
        if (kind == "memory")
        {
            return new InMemoryCampaignStore();
        }

        var store = new PostgreSqlCampaignStore(db.DataSource, PostgreSqlFixture.NewSchema());
        await store.MigrateAsync();
        return store;
    }

    private static Lead FullLead(string id) => new(new LeadId(id))
    {
        AccountId = new AccountId("acc-" + id),
        Company = new CompanyProfile { Country = "DE", Region = "EMEA", Domain = id + ".example.de" },
        Person = new PersonProfile { Language = "de" },
        Source = "Webinar",
    };

    private static CampaignMember Invited(string campaign, string lead) => new(campaign, new Lead(new LeadId(lead)));

    private static (long UtcTicks, TimeSpan Offset)? Exact(DateTimeOffset? at) => at is { } a ? (a.UtcTicks, a.Offset) : null;

    private static async Task<List<CampaignMember>> ListAsync(ICampaignStore store, string campaign)
    {
        var members = new List<CampaignMember>();
        await foreach (var m in store.ListMembersAsync(campaign))
        {
            members.Add(m);
        }

        return members;
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TryAddMember_Then_Find_RoundTripsEveryFieldExactly(string kind)
    {
        var store = await NewStoreAsync(kind);
        var member = new CampaignMember("webinar-2026-03", FullLead("a"))
        {
            Segment = new SegmentId("mid-market-software"),
            Status = CampaignMemberStatus.Attended,
            NoShowEnrolmentId = "enr-17",
            FollowUpDueAt = T0,
            FollowedUpAt = T0.ToOffset(TimeSpan.FromHours(-7)).AddTicks(3),
            ClosedAt = T0.ToOffset(TimeSpan.FromHours(9)).AddTicks(-7),
            NoShowSkippedReason = "at stage Won when 'webinar-2026-03' closed",
            Version = 42, // the store sets 1
        };

        Assert.Null(await store.FindMemberAsync("webinar-2026-03", new LeadId("a")));
        Assert.True(await store.TryAddMemberAsync(member));

        var found = (await store.FindMemberAsync("webinar-2026-03", new LeadId("a")))!;
        Assert.Equal(member with { Version = 1 }, found);
        Assert.Equal(Exact(member.FollowUpDueAt), Exact(found.FollowUpDueAt));
        Assert.Equal(Exact(member.FollowedUpAt), Exact(found.FollowedUpAt));
        Assert.Equal(Exact(member.ClosedAt), Exact(found.ClosedAt));
        Assert.Equal(new AccountId("acc-a"), found.Lead.AccountId);
        Assert.Equal(("DE", "EMEA", "a.example.de"), (found.Lead.Company.Country, found.Lead.Company.Region, found.Lead.Company.Domain));
        Assert.Equal(("de", "Webinar"), (found.Lead.Person.Language, found.Lead.Source));

        // A member without any optional fact or time keeps them null.
        Assert.True(await store.TryAddMemberAsync(Invited("webinar-2026-03", "b")));
        var bare = (await store.FindMemberAsync("webinar-2026-03", new LeadId("b")))!;
        Assert.Equal(Invited("webinar-2026-03", "b") with { Version = 1 }, bare);
        Assert.Null(bare.Lead.AccountId);
        Assert.Null(bare.Lead.Company.Country);
        Assert.Null(bare.Lead.Person.Language);
        Assert.Null(bare.Segment);
        Assert.Null(bare.FollowUpDueAt);
        Assert.Null(bare.FollowedUpAt);
        Assert.Null(bare.ClosedAt);
        Assert.Null(bare.NoShowSkippedReason);
        Assert.Equal(CampaignMemberStatus.Invited, bare.Status);

        // The pair is the key: the same lead in another campaign is another member.
        Assert.Null(await store.FindMemberAsync("webinar-2026-04", new LeadId("a")));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TryAddMember_Duplicate_ReturnsFalse_AndKeepsTheFirst(string kind)
    {
        var store = await NewStoreAsync(kind);
        Assert.True(await store.TryAddMemberAsync(Invited("w", "a")));
        Assert.False(await store.TryAddMemberAsync(Invited("w", "a") with { Status = CampaignMemberStatus.Attended, NoShowEnrolmentId = "x" }));

        var found = (await store.FindMemberAsync("w", new LeadId("a")))!;
        Assert.Equal(CampaignMemberStatus.Invited, found.Status);
        Assert.Null(found.NoShowEnrolmentId);
        Assert.Equal(1, found.Version);
        Assert.True(await store.TryAddMemberAsync(Invited("w2", "a")));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TryUpdateMember_WithStaleVersion_ReturnsFalse_AndKeepsTheStoredState(string kind)
    {
        var store = await NewStoreAsync(kind);
        Assert.True(await store.TryAddMemberAsync(Invited("w", "a")));

        // Two hosts read version 1: one records the registration, the other (late) the attendance.
        var registered = Invited("w", "a") with { Status = CampaignMemberStatus.Registered, Segment = new SegmentId("smb") };
        var attended = Invited("w", "a") with { Status = CampaignMemberStatus.Attended, FollowUpDueAt = T0 };
        Assert.True(await store.TryUpdateMemberAsync(registered, 1));
        Assert.False(await store.TryUpdateMemberAsync(attended, 1));
        Assert.False(await store.TryUpdateMemberAsync(attended, 3));
        Assert.Equal(registered with { Version = 2 }, await store.FindMemberAsync("w", new LeadId("a")));

        Assert.True(await store.TryUpdateMemberAsync(attended, 2));
        var found = (await store.FindMemberAsync("w", new LeadId("a")))!;
        Assert.Equal(attended with { Version = 3 }, found);
        Assert.Equal(Exact(T0), Exact(found.FollowUpDueAt));

        // A member that was never added cannot be updated into existence.
        Assert.False(await store.TryUpdateMemberAsync(Invited("w", "never"), 1));
        Assert.False(await store.TryUpdateMemberAsync(Invited("other", "a"), 1));
        Assert.Null(await store.FindMemberAsync("w", new LeadId("never")));
        Assert.Null(await store.FindMemberAsync("other", new LeadId("a")));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task TryUpdateMember_ConcurrentWritersAtOneVersion_ExactlyOneWins(string kind)
    {
        var store = await NewStoreAsync(kind);
        Assert.True(await store.TryAddMemberAsync(Invited("w", "a")));

        var updates = Enumerable.Range(0, 8)
            .Select(i => Invited("w", "a") with { Status = CampaignMemberStatus.Registered, NoShowEnrolmentId = "host-" + i })
            .ToArray();
        var saved = await Task.WhenAll(updates.Select(u => Task.Run(async () => await store.TryUpdateMemberAsync(u, 1))));

        Assert.Single(saved, s => s);
        var winner = updates[Array.IndexOf(saved, true)];
        Assert.Equal(winner with { Version = 2 }, await store.FindMemberAsync("w", new LeadId("a")));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task CloseAsync_ConcurrentClosers_AllGetTheFirstCloseTime(string kind)
    {
        var store = await NewStoreAsync(kind);
        var times = Enumerable.Range(0, 8).Select(i => T0.AddMinutes(i).ToOffset(TimeSpan.FromHours(i - 4))).ToArray();

        var closed = await Task.WhenAll(times.Select(t => Task.Run(async () => await store.CloseAsync("w", t))));

        var first = closed[0];
        Assert.All(closed, c => Assert.Equal(Exact(first), Exact(c)));
        Assert.Contains(Exact(first), times.Select(t => Exact(t)));
        Assert.Equal(Exact(first), Exact(await store.FindClosedAtAsync("w")));

        // Forever after, a later close gets the first time back, offset and ticks included.
        Assert.Equal(Exact(first), Exact(await store.CloseAsync("w", T0.AddDays(1))));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task FindClosedAtAsync_IsNullWhileOpen_ThenTheCloseTime(string kind)
    {
        var store = await NewStoreAsync(kind);
        Assert.Null(await store.FindClosedAtAsync("w"));

        Assert.Equal(Exact(T0), Exact(await store.CloseAsync("w", T0)));

        Assert.Equal(Exact(T0), Exact(await store.FindClosedAtAsync("w")));
        Assert.Null(await store.FindClosedAtAsync("W")); // campaign ids compare ordinally
        Assert.Null(await store.FindClosedAtAsync("other"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ListMembersAsync_IsOrderedOrdinally_AndScopedToTheCampaign(string kind)
    {
        var store = await NewStoreAsync(kind);

        // "B" < "a" < "b" ordinally (culture order would put a first); U+1F600 is a surrogate pair (0xD83D...), which sorts
        // before U+FF21 in UTF-16 but after it in UTF-8 byte order.
        string[] ids = ["b", "\uFF21", "a", "B", "a1", "\U0001F600", "A", "_", "10", "9"];
        foreach (string id in ids)
        {
            Assert.True(await store.TryAddMemberAsync(Invited("w1", id)));
        }

        Assert.True(await store.TryAddMemberAsync(Invited("w2", "a")));
        Assert.True(await store.TryAddMemberAsync(Invited("w2", "0")));
        Assert.True(await store.TryAddMemberAsync(Invited("W1", "z")));

        var w1 = await ListAsync(store, "w1");
        string[] expected = [.. ids.Order(StringComparer.Ordinal)];
        Assert.Equal(["10", "9", "A", "B", "_", "a", "a1", "b", "\U0001F600", "\uFF21"], expected);
        Assert.Equal(expected, w1.Select(m => m.Lead.Id.Value));
        Assert.All(w1, m => Assert.Equal("w1", m.Campaign));
        Assert.All(w1, m => Assert.Equal(1, m.Version));

        Assert.Equal(["0", "a"], (await ListAsync(store, "w2")).Select(m => m.Lead.Id.Value));
        Assert.Equal(["z"], (await ListAsync(store, "W1")).Select(m => m.Lead.Id.Value));
        Assert.Empty(await ListAsync(store, "none"));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task ListMembersAsync_ReturnsTheLatestStateOfEachMember(string kind)
    {
        var store = await NewStoreAsync(kind);
        Assert.True(await store.TryAddMemberAsync(new CampaignMember("w", FullLead("a"))));
        Assert.True(await store.TryAddMemberAsync(Invited("w", "b")));
        var attended = new CampaignMember("w", FullLead("a")) { Status = CampaignMemberStatus.Attended, FollowUpDueAt = T0 };
        Assert.True(await store.TryUpdateMemberAsync(attended, 1));

        var members = await ListAsync(store, "w");

        Assert.Equal([attended with { Version = 2 }, Invited("w", "b") with { Version = 1 }], members);
        Assert.Equal(Exact(T0), Exact(members[0].FollowUpDueAt));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Calls_HonourCancellation(string kind)
    {
        var store = await NewStoreAsync(kind);
        Assert.True(await store.TryAddMemberAsync(Invited("w", "a")));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var ct = cancelled.Token;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.TryAddMemberAsync(Invited("w", "b"), ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.FindMemberAsync("w", new LeadId("a"), ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.TryUpdateMemberAsync(Invited("w", "a") with { NoShowEnrolmentId = "x" }, 1, ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in store.ListMembersAsync("w", ct))
            {
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.CloseAsync("w", T0, ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.FindClosedAtAsync("w", ct));

        Assert.Null(await store.FindMemberAsync("w", new LeadId("b")));
        Assert.Equal(Invited("w", "a") with { Version = 1 }, await store.FindMemberAsync("w", new LeadId("a")));
        Assert.Null(await store.FindClosedAtAsync("w"));
    }

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
