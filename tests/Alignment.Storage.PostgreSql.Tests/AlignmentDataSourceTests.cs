using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests;

/// <summary>The data source the stores share when given a connection string: statements prepared automatically and connections not reset, unless the string says otherwise.</summary>
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

    [Theory]
    [InlineData("Host=127.0.0.1;Database=x", true)]
    [InlineData("Host=127.0.0.1;Database=x;No Reset On Close=false", false)]
    [InlineData("Host=127.0.0.1;Database=x;noresetonclose=False", false)]
    [InlineData("Host=127.0.0.1;Database=x;No Reset On Close=true", true)]
    public void NoResetOnClose_IsOnByDefault_AndTheConnectionStringWins(string connectionString, bool expected)
    {
        using var source = AlignmentDataSource.Create(connectionString);

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(source.ConnectionString).NoResetOnClose);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Database=x", -1)]
    [InlineData("Host=127.0.0.1;Database=x;Maximum Pool Size=100", 100)]
    [InlineData("Host=127.0.0.1;Database=x;MAXIMUM POOL SIZE=3", 3)]
    [InlineData("Host=127.0.0.1;Database=x;maxpoolsize=50", 50)]
    [InlineData("Host=127.0.0.1;Database=x;Minimum Pool Size=200", -200)]
    public void MaxPoolSize_IsSizedToTheMachineByDefault_AndTheConnectionStringWins(string connectionString, int expected)
    {
        using var source = AlignmentDataSource.Create(connectionString);

        // -1: the default; -N: the default, but never below the string's Minimum Pool Size N (which Npgsql would refuse).
        int wanted = expected == -1 ? AlignmentDataSource.DefaultMaxPoolSize
            : expected < 0 ? Math.Max(-expected, AlignmentDataSource.DefaultMaxPoolSize)
            : expected;
        Assert.Equal(wanted, new NpgsqlConnectionStringBuilder(source.ConnectionString).MaxPoolSize);
    }

    [Fact]
    public void TheDefaultPool_IsFourConnectionsPerProcessor_AtLeastEight() =>
        Assert.Equal(Math.Max(8, 4 * Environment.ProcessorCount), AlignmentDataSource.DefaultMaxPoolSize); // as the docs say

    [Fact]
    public async Task TheStoresUseTheirStatementsPrepared_OnADataSourceFromAConnectionString()
    {
        await using var source = AlignmentDataSource.Create(db.ConnectionString);
        string schema = PostgreSqlFixture.NewSchema();
        var store = new Alignment.Storage.PostgreSql.Lifecycle.PostgreSqlLifecycleStore(source, schema);
        await store.MigrateAsync();
        for (int i = 0; i < 20; i++)
        {
            Assert.Null(await store.FindAsync(new Alignment.Leads.LeadId("nobody")));
        }

        // The store's own read, not only the migration's statements, is prepared on the pooled connection.
        await using var conn = await source.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM ' || $1 || '.lead_lifecycle l%'", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = schema });
        Assert.True((long)(await cmd.ExecuteScalarAsync())! > 0, "the store's read was not prepared on its connection");
    }

    [Fact]
    public void TheStoresThatBeginTransactionsInABatch_RefuseAMultiplexingDataSource()
    {
        using var source = NpgsqlDataSource.Create("Host=127.0.0.1;Database=x;Multiplexing=true");

        var ex = Assert.Throws<ArgumentException>(() => new Alignment.Storage.PostgreSql.Lifecycle.PostgreSqlLifecycleStore(source));
        Assert.Equal("dataSource", ex.ParamName);
        Assert.Contains("multiplexing", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new PostgreSqlRoutingStateStore(source));
        Assert.Throws<ArgumentException>(() => new Alignment.Storage.PostgreSql.Nurture.PostgreSqlNurtureStore(source));
    }

    [Fact]
    public void AnEmptyConnectionString_IsRefused() =>
        Assert.ThrowsAny<ArgumentException>(() => AlignmentDataSource.Create(" "));
}
