using System.Globalization;
using Npgsql;

namespace Alignment.Storage.PostgreSql;

/// <summary>
/// Applies a store's <see cref="PostgreSqlStoreOptions"/> to the transactions it opens, with <c>set_config(…, true)</c> (the
/// function form of <c>SET LOCAL</c>): the settings end with the transaction, so a pooled connection shared with the host is
/// never left changed. Connection-string options were not used because the data source may be the host's own.
/// </summary>
internal sealed class StoreTimeouts
{
    private readonly string _sql;

    /// <summary>Snapshots the options (later changes to them have no effect).</summary>
    /// <param name="options">The options; <see langword="null"/> means the defaults.</param>
    /// <param name="paramName">The caller's parameter name, for the validation error.</param>
    /// <exception cref="ArgumentException">An option is out of range (every failure is listed).</exception>
    public StoreTimeouts(PostgreSqlStoreOptions? options, string paramName)
    {
        options ??= new PostgreSqlStoreOptions();
        PostgreSqlStoreOptionsValidator.ThrowIfInvalid(options, paramName);
        _sql = $"SELECT set_config('statement_timeout', '{Milliseconds(options.StatementTimeout)}', true), set_config('lock_timeout', '{Milliseconds(options.LockTimeout)}', true)";
    }

    /// <summary>
    /// Begins a transaction with the timeouts set. This costs one round trip more than a bare <c>BeginTransactionAsync</c> (Npgsql
    /// sends the deferred <c>BEGIN</c> with the settings); putting the settings in each method's first batch would save it.
    /// </summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The transaction; the caller disposes it.</returns>
    public async Task<NpgsqlTransaction> BeginAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var cmd = new NpgsqlCommand(_sql, connection, tx);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return tx;
        }
        catch
        {
            await tx.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts a transaction with the timeouts set in <paramref name="batch"/>'s first two commands (<c>BEGIN</c> and the settings),
    /// so that they travel with the batch's own commands in one round trip, where <see cref="BeginAsync"/> costs one of its own
    /// before them. The settings' result set comes first: skip it. The caller ends the transaction with <see cref="Commit"/> as
    /// the last command of its last batch (or executes it alone); a connection that goes back to the pool with the transaction
    /// still open (a command failed) is rolled back by Npgsql when it is returned.
    /// </summary>
    /// <param name="batch">A batch without commands yet, on a connection with no transaction.</param>
    public void AddBegin(NpgsqlBatch batch)
    {
        batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql));
    }

    /// <summary>
    /// Refuses a data source in Npgsql's multiplexing mode for a store that begins transactions with <see cref="AddBegin"/>:
    /// multiplexing allows transactions only through <c>BeginTransaction</c>, and would fail every write of the store.
    /// </summary>
    /// <param name="dataSource">The store's data source.</param>
    /// <param name="store">The store's type name, for the message.</param>
    /// <param name="paramName">The constructor's parameter name.</param>
    /// <exception cref="ArgumentException">The data source multiplexes.</exception>
    public static void ThrowIfMultiplexing(NpgsqlDataSource dataSource, string store, string paramName)
    {
        if (new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Multiplexing)
        {
            throw new ArgumentException($"{store} does not support Npgsql's multiplexing (Multiplexing=true in the connection string): it sends BEGIN with its first statements to save a round trip, which multiplexing refuses. Use a data source without multiplexing.", paramName);
        }
    }

    /// <summary>The command that commits a transaction begun with <see cref="AddBegin"/>.</summary>
    /// <returns>A new command.</returns>
    public static NpgsqlBatchCommand Commit() => new("COMMIT");

    /// <summary>Ends a transaction begun with <see cref="AddBegin"/>: <c>COMMIT</c> or <c>ROLLBACK</c>, alone.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="commit">Whether to commit.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server answered.</returns>
    public static async Task EndAsync(NpgsqlConnection connection, bool commit, CancellationToken cancellationToken)
    {
        await using var end = new NpgsqlCommand(commit ? "COMMIT" : "ROLLBACK", connection);
        await end.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a batch whose first command sets the timeouts, for a write outside an explicit transaction: a batch runs in one
    /// implicit transaction, so the settings hold for the commands after it and end with it. The settings' own result set
    /// comes first; skip it with <see cref="NpgsqlDataReader.NextResultAsync(CancellationToken)"/>.
    /// </summary>
    /// <param name="connection">An open connection.</param>
    /// <returns>The batch; the caller adds its commands and disposes it.</returns>
    public NpgsqlBatch CreateBatch(NpgsqlConnection connection)
    {
        var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql));
        return batch;
    }

    private static string Milliseconds(TimeSpan value) => ((long)Math.Ceiling(value.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
}
