using Npgsql;

namespace Alignment.Storage.PostgreSql;

/// <summary>
/// Creates the <see cref="NpgsqlDataSource"/> the PostgreSQL stores share when a host gives a connection string
/// (<c>UsePostgreSql…(connectionString)</c>, <c>alignment serve --postgres</c>): Npgsql's defaults, except that statements are
/// prepared automatically and a pooled connection is not reset when it is handed out again.
/// </summary>
/// <remarks>
/// The stores send the same few dozen statements over and over; with <c>Max Auto Prepare</c> Npgsql prepares each on a connection
/// after its fifth use, so PostgreSQL parses and plans it once per connection instead of on every call. On this project's
/// 2-core machine that took HTTP ingest on PostgreSQL from about 290 to about 460 decisions per second (docs/performance.md).
/// A connection string that sets <c>Max Auto Prepare</c> itself keeps its value: set it to 0 behind a pooler that does not
/// support prepared statements (PgBouncer before 1.21 in transaction mode).
/// <para>
/// <c>No Reset On Close</c> is on unless the connection string sets it: by default Npgsql resets every pooled connection it hands
/// out again, and with prepared statements that reset is seven statements (<c>CLOSE ALL</c>, <c>RESET ALL</c>,
/// <c>pg_advisory_unlock_all()</c>…) sent before the first command of every checkout, about 17 times per HTTP ingest. The stores
/// keep no session state to reset: their settings are <c>set_config(…, true)</c> and their locks <c>pg_advisory_xact_lock</c>,
/// both ended by the transaction. A host that shares this data source with code that does keep session state (<c>SET</c> without
/// <c>LOCAL</c>, session advisory locks, <c>LISTEN</c>, temporary tables) sets <c>No Reset On Close=false</c>.
/// </para>
/// <para>
/// <c>Maximum Pool Size</c> is <see cref="DefaultMaxPoolSize"/> (four connections per processor, at least 8) unless the connection
/// string sets it, instead of Npgsql's 100: PostgreSQL does its work in one process per connection, and more statements running
/// at once than its cores can take only make it switch between them. Under HTTP ingest at concurrency 64 on this project's 2-core
/// machine (PostgreSQL on the same cores), 8 connections decided 756-1,004 leads per second in four runs against 593-594 with
/// Npgsql's default, where 57 connections were open (docs/performance.md, 8 December): the requests beyond the pool wait for a
/// connection in this process instead. The size follows this machine's processors, not the database server's: a host whose
/// database has more cores, or that runs long transactions of its own on this data source, sets <c>Maximum Pool Size</c>. A
/// caller waits for a free connection at most the connection string's <c>Timeout</c> (15 s by default); code that holds a
/// connection while it opens another (a routing plugin that reads the database inside a decision, a loop over a store's list
/// that looks up each item) needs two at once, so as many such callers as the pool has connections would wait for one another
/// until then.
/// </para>
/// A host that registers its own data source is not changed.
/// </remarks>
public static class AlignmentDataSource
{
    /// <summary>The number of statements prepared automatically per connection unless the connection string says otherwise.</summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>
    /// The largest number of connections the data source opens unless the connection string sets <c>Maximum Pool Size</c>: four per
    /// processor of this machine (<see cref="Environment.ProcessorCount"/>), at least 8.
    /// </summary>
    public static int DefaultMaxPoolSize { get; } = Math.Max(8, 4 * Environment.ProcessorCount);

    /// <summary>
    /// Creates a data source from <paramref name="connectionString"/>, with <see cref="DefaultMaxAutoPrepare"/> unless it sets
    /// <c>Max Auto Prepare</c>, <c>No Reset On Close</c> unless it sets that, and <see cref="DefaultMaxPoolSize"/> unless it sets
    /// <c>Maximum Pool Size</c>.
    /// </summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <returns>The data source; the caller disposes it.</returns>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or not a valid connection string.</exception>
    public static NpgsqlDataSource Create(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!Sets(given, "MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        if (!Sets(given, "NoResetOnClose"))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }

        if (!Sets(given, "MaxPoolSize") && !Sets(given, "MaximumPoolSize"))
        {
            // Never below the string's Minimum Pool Size, which Npgsql would refuse.
            builder.ConnectionStringBuilder.MaxPoolSize = Math.Max(DefaultMaxPoolSize, builder.ConnectionStringBuilder.MinPoolSize);
        }

        return builder.Build();
    }

    /// <summary>Whether the string names the setting itself (Npgsql's own builder says every keyword it knows is "contained").</summary>
    private static bool Sets(System.Data.Common.DbConnectionStringBuilder given, string setting)
    {
        foreach (string key in given.Keys)
        {
            if (string.Equals(key.Replace(" ", string.Empty, StringComparison.Ordinal), setting, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
