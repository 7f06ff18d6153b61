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
