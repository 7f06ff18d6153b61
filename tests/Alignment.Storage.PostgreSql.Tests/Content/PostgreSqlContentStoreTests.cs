using Alignment.Conformance.Content;
using Alignment.Segmentation.Collateral;
using Alignment.Storage.PostgreSql.Content;

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
