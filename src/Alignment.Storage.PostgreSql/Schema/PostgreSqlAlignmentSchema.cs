using Npgsql;

namespace Alignment.Storage.PostgreSql;

/// <summary>
/// The version of the Alignment tables in a PostgreSQL schema, and the ordered migrations that bring a schema to the version
/// this package expects. Every store's <c>MigrateAsync</c> calls <see cref="MigrateAsync"/>.
/// </summary>
/// <remarks>
/// <para>
/// The version is kept in <c>&lt;schema&gt;.alignment_schema_version</c> (<c>version</c>, <c>description</c>, <c>applied_at</c>),
/// one row per applied migration. Migration 1 creates the tables of all four stores exactly as the releases before schema
/// versions did, with <c>IF NOT EXISTS</c>, so a schema those releases created is recorded as version 1 and keeps its rows.
/// </para>
/// <para>
/// Thread-safe and safe to run from several hosts at once: each migration runs in its own transaction under a transaction-scoped
/// advisory lock derived from the schema name (the same lock the releases before schema versions took), and re-reads the version
/// under that lock, so each migration is applied once and the others wait for it and find nothing left to do.
/// </para>
/// </remarks>
public static class PostgreSqlAlignmentSchema
{
    private const string VersionTable = "alignment_schema_version";

    /// <summary>Gets the schema version this package reads and writes: the number of its migrations.</summary>
    public static int ExpectedVersion => SchemaMigrations.All.Count;

    /// <summary>
    /// Applies the migrations the schema has not had yet, in order, each in its own transaction, creating the schema and its
    /// version table when missing. Running it again, or on a schema already at <see cref="ExpectedVersion"/>, changes nothing.
    /// </summary>
    /// <param name="dataSource">The connection source.</param>
    /// <param name="schema">The schema of the Alignment tables.</param>
    /// <param name="cancellationToken">Cancels the call; a migration it interrupts is rolled back.</param>
    /// <returns>The number of migrations this call applied (0 when the schema was already up to date).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier.</exception>
    /// <exception cref="InvalidOperationException">The schema is at a version newer than <see cref="ExpectedVersion"/> (it was migrated by a newer release); the message names both versions. Nothing is changed.</exception>
    /// <exception cref="NpgsqlException">The database failed; the migration in progress was rolled back and a retry is safe.</exception>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, string schema = "alignment", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        SchemaName.Validate(schema, nameof(schema));
        int applied = 0;
        while (true)
        {
            await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('alignment.schema:' || $1))", conn, tx))
            {
                lockCmd.Parameters.Add(new NpgsqlParameter { Value = schema });
                await lockCmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            int current = await ReadVersionAsync(conn, tx, schema, cancellationToken).ConfigureAwait(false);
            if (current > ExpectedVersion)
            {
                throw new InvalidOperationException(
                    $"The Alignment schema '{schema}' is at version {current}, but this release of Alignment.Storage.PostgreSql knows versions up to {ExpectedVersion}: " +
                    "a newer release migrated it. Upgrade this host's Alignment packages (a schema is never migrated down).");
            }

            if (current == ExpectedVersion)
            {
                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                return applied;
            }

            var migration = SchemaMigrations.All[current];
            string script = migration.Sql(schema);
            if (current == 0)
            {
                script = $"""
                    CREATE SCHEMA IF NOT EXISTS {schema};
                    CREATE TABLE IF NOT EXISTS {schema}.{VersionTable} (version int PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
                    {script}
                    """;
            }

            await using (var migrate = new NpgsqlCommand(script, conn, tx))
            {
                await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var record = new NpgsqlCommand($"INSERT INTO {schema}.{VersionTable} (version, description) VALUES ($1, $2)", conn, tx))
            {
                record.Parameters.Add(new NpgsqlParameter { Value = migration.Version });
                record.Parameters.Add(new NpgsqlParameter { Value = migration.Description });
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            applied++;
        }
    }

    /// <summary>
    /// Reads the version of the schema: the highest migration applied, or 0 when the schema has no version table (it does not
    /// exist, or releases before schema versions created it). For health checks, compare it with <see cref="ExpectedVersion"/>.
    /// </summary>
    /// <param name="dataSource">The connection source.</param>
    /// <param name="schema">The schema of the Alignment tables.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The current version.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier.</exception>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public static async Task<int> GetVersionAsync(NpgsqlDataSource dataSource, string schema = "alignment", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        SchemaName.Validate(schema, nameof(schema));
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadVersionAsync(conn, null, schema, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The highest recorded version, or 0 without a version table. Needs no privilege beyond reading that table.</summary>
    private static async Task<int> ReadVersionAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string schema, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", conn, tx))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = $"{schema}.{VersionTable}" });
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return 0;
            }
        }

        await using var max = new NpgsqlCommand($"SELECT COALESCE(max(version), 0) FROM {schema}.{VersionTable}", conn, tx);
        return (int)(await max.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
