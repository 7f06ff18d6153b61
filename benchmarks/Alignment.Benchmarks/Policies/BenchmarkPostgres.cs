using Alignment.Storage.PostgreSql;
using Alignment.Testing;
using Npgsql;

namespace Alignment.Benchmarks.Policies;

/// <summary>
/// The PostgreSQL server of a benchmark: the one at ALIGNMENT_TEST_PG when it answers, else a private cluster on loopback started
/// for the run (as the tests do), with fresh Alignment schemas migrated on it. Disposing drops the schemas from a shared server and
/// stops a private one.
/// </summary>
internal sealed class BenchmarkPostgres : IDisposable
{
    private readonly PrivatePostgres? _cluster;
    private readonly string[] _schemas;

    private BenchmarkPostgres(PrivatePostgres? cluster, NpgsqlDataSource dataSource, string[] schemas)
    {
        _cluster = cluster;
        DataSource = dataSource;
        _schemas = schemas;
    }

    /// <summary>The connections.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The schemas, in the order of the prefixes given to <see cref="OpenAsync"/>.</summary>
    public IReadOnlyList<string> Schemas => _schemas;

    /// <summary>Finds or starts the server and migrates one new schema per prefix (the prefix and a random suffix), on a plain data source (nothing prepared).</summary>
    public static Task<BenchmarkPostgres> OpenAsync(params string[] prefixes) => OpenAsync(prepared: false, prefixes);

    /// <summary>
    /// Finds or starts the server and migrates one new schema per prefix. With <paramref name="prepared"/> the data source is the one
    /// hosts get (<see cref="AlignmentDataSource.Create"/>: statements prepared, no reset on close), else a plain one.
    /// </summary>
    public static async Task<BenchmarkPostgres> OpenAsync(bool prepared, params string[] prefixes)
    {
        string? configured = Environment.GetEnvironmentVariable("ALIGNMENT_TEST_PG");
        PrivatePostgres? cluster = null;
        string cs;
        if (!string.IsNullOrWhiteSpace(configured) && await PrivatePostgres.AnswersAsync(configured))
        {
            cs = configured;
        }
        else
        {
            cluster = await PrivatePostgres.CreateAsync();
            cs = cluster.ConnectionString;
        }

        var dataSource = prepared ? AlignmentDataSource.Create(cs) : NpgsqlDataSource.Create(cs);
        string suffix = Guid.NewGuid().ToString("N")[..8];
        string[] schemas = [.. prefixes.Select(p => p + suffix)];
        foreach (string schema in schemas)
        {
            await PostgreSqlAlignmentSchema.MigrateAsync(dataSource, schema);
        }

        return new BenchmarkPostgres(cluster, dataSource, schemas);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_cluster is null)
        {
            // A shared server (ALIGNMENT_TEST_PG): leave nothing behind.
            using var drop = DataSource.CreateCommand(string.Join(' ', _schemas.Select(s => $"DROP SCHEMA IF EXISTS {s} CASCADE;")));
            drop.ExecuteNonQuery();
        }

        DataSource.Dispose();
        _cluster?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
