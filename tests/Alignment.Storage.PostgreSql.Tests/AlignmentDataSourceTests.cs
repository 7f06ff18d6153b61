using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests;

/// <summary>The data source the stores share when given a connection string: statements prepared automatically, unless the string says otherwise.</summary>
[Collection(PostgreSqlServer.Name)]
public sealed class AlignmentDataSourceTests(PostgreSqlFixture db)
{
    [Theory]
    [InlineData("Host=127.0.0.1;Database=x", 64)]
    [InlineData("Host=127.0.0.1;Database=x;Max Auto Prepare=0", 0)]
    [InlineData("Host=127.0.0.1;Database=x;MaxAutoPrepare=0", 0)]
    [InlineData("Host=127.0.0.1;Database=x;max auto prepare=12", 12)]
    public void MaxAutoPrepare_IsOnByDefault_AndTheConnectionStringWins(string connectionString, int expected)
    {
        using var source = AlignmentDataSource.Create(connectionString);

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(source.ConnectionString).MaxAutoPrepare);
    }

    [Fact]
    public async Task TheStoresUseTheirStatementsPrepared_OnADataSourceFromAConnectionString()
    {
        await using var source = AlignmentDataSource.Create(db.ConnectionString);
        var store = new Alignment.Storage.PostgreSql.Lifecycle.PostgreSqlLifecycleStore(source, PostgreSqlFixture.NewSchema());
        await store.MigrateAsync();
        for (int i = 0; i < 20; i++)
        {
            Assert.Null(await store.FindAsync(new Alignment.Leads.LeadId("nobody")));
        }

        await using var conn = await source.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements", conn);
        Assert.True((long)(await cmd.ExecuteScalarAsync())! > 0, "no statement was prepared on the store's connection");
    }

    [Fact]
    public void AnEmptyConnectionString_IsRefused() =>
        Assert.ThrowsAny<ArgumentException>(() => AlignmentDataSource.Create(" "));
}
