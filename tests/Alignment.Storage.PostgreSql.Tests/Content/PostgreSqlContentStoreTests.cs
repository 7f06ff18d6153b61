using Alignment.Conformance.Content;
using Alignment.Segmentation.Collateral;
using Alignment.Storage.PostgreSql.Content;
using Microsoft.Extensions.DependencyInjection;

namespace Alignment.Storage.PostgreSql.Tests.Content;

/// <summary>
/// The PostgreSQL content store against the <see cref="IContentStore"/> contract (tests/Alignment.Conformance), each test in a new
/// schema; the two stores of a test are two instances on that schema, as two hosts would have.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlContentStoreConformanceTests(PostgreSqlFixture db) : ContentStoreConformance
{
    protected override async Task<(IContentStore First, IContentStore Second)> CreateStoresAsync()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        return (new PostgreSqlContentStore(db.DataSource, schema), new PostgreSqlContentStore(db.DataSource, schema));
    }
}

/// <summary>The DI registration of the PostgreSQL content store.</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlContentStoreRegistrationTests(PostgreSqlFixture db)
{
    [Fact(Timeout = 60_000)]
    public async Task UsePostgreSqlContentStore_registers_one_store_that_replaces_an_earlier_one_and_refuses_a_bad_schema()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        var services = new ServiceCollection();
        services.AddSingleton<IContentStore, InMemoryContentStore>();
        services.AddAlignment().UsePostgreSqlContentStore(db.ConnectionString, schema);
        await using var sp = services.BuildServiceProvider();

        var store = Assert.IsType<PostgreSqlContentStore>(sp.GetRequiredService<IContentStore>());
        await store.SetDealOutcomeAsync("eu", "deal-1", DealOutcome.Won);
        Assert.Single((await store.ReadAsync("eu")).Deals);
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddAlignment().UsePostgreSqlContentStore(db.ConnectionString, "Bad-Schema"));
    }
}

/// <summary>The PostgreSQL content store records each content change in the decision outbox, in the change's transaction, once.</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlContentDecisionTests(PostgreSqlFixture db)
{
    private static readonly DateTimeOffset Start = new(2026, 1, 15, 9, 0, 0, TimeSpan.FromHours(1));
    private static readonly Alignment.Segmentation.SegmentId Segment = new("enterprise-software");
    private static readonly Reviewer Sales = new("sam", ReviewerRole.Sales);

    [Fact(Timeout = 60_000)]
    public async Task A_flushed_loop_puts_the_same_decisions_in_the_outbox_as_the_library_publishes_and_a_second_flush_adds_none()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        var store = new PostgreSqlContentStore(db.DataSource, schema, recordDecisions: true);
        var outbox = new Alignment.Storage.PostgreSql.Decisions.PostgreSqlDecisionOutbox(db.DataSource, schema);
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start);
        var stored = new CollateralLibrary(time, 12);
        var published = new CollateralLibrary(time, 12);
        var sink = new Alignment.Decisions.InMemoryDecisionSink();

        async Task StepAsync(Action<CollateralLibrary> change)
        {
            change(stored);
            change(published);
            await stored.FlushAsync(store, "acme");
            await published.PublishChangesAsync(sink, "acme");
        }

        await StepAsync(l => l.Suggest(new ContentSuggestion("s-1", new Alignment.Handoff.RepId("rep-1"), "A battle card", Start) { DealId = "deal-7" }));
        time.Advance(TimeSpan.FromDays(2));
        await StepAsync(l => l.DraftFromSuggestion("s-1", new CollateralDraft("battle", "Battle card", "mia", [Segment])));
        await StepAsync(l => l.Reject("battle", Sales, "Pricing slide is wrong"));
        await StepAsync(l =>
        {
            l.Revise(new CollateralDraft("battle", "Battle card v2", "mia", [Segment]));
            l.Approve("battle", Sales);
        });
        time.Advance(TimeSpan.FromDays(400));
        await StepAsync(l => l.ExpireDue());
        await StepAsync(l => l.Retire("battle", "mia", "Globex left the market"));
        Assert.Equal(0, stored.PendingChangeCount); // the store recorded them: nothing left to publish

        var pending = await outbox.ReadPendingAsync(100);
        var expected = sink.Decisions.Cast<Alignment.Decisions.AlignmentDecision.ContentChanged>().Select(d => d.Change).ToList();
        var actual = pending.Select(e => Assert.IsType<Alignment.Decisions.AlignmentDecision.ContentChanged>(e.Decision).Change).ToList();
        Assert.Equal(expected.Select(c => c.Key).Order(StringComparer.Ordinal), pending.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Equal(expected.OrderBy(c => c.Key, StringComparer.Ordinal), actual.OrderBy(c => c.Key, StringComparer.Ordinal));
        Assert.Equal(8, actual.Count); // suggested, created, drafted, sent back, revised, approved, expired, retired

        // Saving again (a retry, another host flushing the same state) records nothing new.
        foreach (var item in stored.Items)
        {
            await store.SaveItemAsync("acme", item);
        }

        foreach (var suggestion in stored.Suggestions)
        {
            await store.SaveSuggestionAsync("acme", suggestion);
        }

        Assert.Equal(8, (await outbox.ReadPendingAsync(100)).Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_store_that_does_not_record_decisions_writes_none()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await PostgreSqlAlignmentSchema.MigrateAsync(db.DataSource, schema);
        var library = new CollateralLibrary(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Start), 12);
        library.Add(new CollateralDraft("a", "A", "mia", [Segment]));
        await library.FlushAsync(new PostgreSqlContentStore(db.DataSource, schema), "acme");
        Assert.Empty(await new Alignment.Storage.PostgreSql.Decisions.PostgreSqlDecisionOutbox(db.DataSource, schema).ReadPendingAsync(10));
        Assert.Equal(1, library.PendingChangeCount);
    }
}
