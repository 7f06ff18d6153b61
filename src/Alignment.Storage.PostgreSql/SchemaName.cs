using Npgsql;

namespace Alignment.Storage.PostgreSql;

/// <summary>What every store needs for its schema: a checked name (schemas cannot be bound as parameters) and its migration.</summary>
internal static class SchemaName
{
    /// <summary>
    /// Runs a migration script in one transaction, under one advisory lock per schema shared by every store: <c>CREATE SCHEMA IF
    /// NOT EXISTS</c> is not safe when two stores (or two hosts) create the same schema at once, so their migrations take turns.
    /// </summary>
    /// <param name="dataSource">The connection source.</param>
    /// <param name="schema">The schema (already validated).</param>
    /// <param name="sql">The idempotent script.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the script is committed.</returns>
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, string schema, string sql, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('alignment.schema:' || $1))", conn, tx))
        {
            lockCmd.Parameters.Add(new NpgsqlParameter { Value = schema });
            await lockCmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var cmd = new NpgsqlCommand(sql, conn, tx))
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Throws unless <paramref name="schema"/> is a plain lower-case identifier of at most 48 characters.</summary>
    /// <param name="schema">The schema name.</param>
    /// <param name="paramName">The caller's parameter name.</param>
    /// <exception cref="ArgumentException">The name is empty or not a plain identifier.</exception>
    public static void Validate(string schema, string paramName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schema, paramName);
        if (schema.Length > 48 || !schema.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_') || char.IsDigit(schema[0]))
        {
            throw new ArgumentException($"Schema '{schema}' must be a lower-case identifier (a-z, 0-9, _), at most 48 characters.", paramName);
        }
    }
}
