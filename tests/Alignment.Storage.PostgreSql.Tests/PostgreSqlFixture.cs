using Alignment.Testing;
using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests;

/// <summary>
/// A real PostgreSQL server for the tests. Uses the server at ALIGNMENT_TEST_PG when one answers there; otherwise starts a
/// <see cref="PrivatePostgres"/> cluster (installed with apt-get when missing, a free loopback port) and deletes it at the end.
/// It never skips: no server means the tests fail.
/// </summary>
public sealed class PostgreSqlFixture : IAsyncLifetime
{
    private PrivatePostgres? _cluster;

    public string ConnectionString { get; private set; } = string.Empty;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        string? configured = Environment.GetEnvironmentVariable("ALIGNMENT_TEST_PG");
        if (!string.IsNullOrWhiteSpace(configured) && await PrivatePostgres.AnswersAsync(configured))
        {
            ConnectionString = configured;
        }
        else
        {
            _cluster = await PrivatePostgres.CreateAsync();
            ConnectionString = _cluster.ConnectionString;
        }

        DataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = 40 }.ConnectionString);
    }

    /// <summary>A fresh schema name for one test, so tests do not see each other's rows.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..16];

    public async Task DisposeAsync()
    {
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgreSqlServer : ICollectionFixture<PostgreSqlFixture>
{
    public const string Name = "PostgreSQL";
}
