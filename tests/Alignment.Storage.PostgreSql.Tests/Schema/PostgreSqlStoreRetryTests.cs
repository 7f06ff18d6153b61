using System.Net.Sockets;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Storage.PostgreSql.Lifecycle;
using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests.Schema;

/// <summary>
/// <see cref="PostgreSqlStoreOptions.MaxRetries"/>: a store call whose connection the server dropped is tried again on a fresh
/// one and succeeds; with retries off the same fault reaches the caller (proof that the test injects one); the host's own
/// timeouts are not retried.
/// </summary>
[Collection(PostgreSqlServer.Name)]
public sealed class PostgreSqlStoreRetryTests(PostgreSqlFixture db)
{
    private const int Bound = 60_000;

    [Theory]
    [InlineData("40001", true)]  // serialization failure
    [InlineData("40P01", true)]  // deadlock
    [InlineData("57P01", true)]  // the server terminated the connection (admin shutdown)
    [InlineData("55P03", false)] // lock timeout: the host's own limit
    [InlineData("57014", false)] // statement timeout: the host's own limit
    [InlineData("23505", false)] // unique violation: a bug, not a fault
    public void IsTransient_ClassifiesServerErrors(string sqlState, bool expected) =>
        Assert.Equal(expected, StoreRetry.IsTransient(new PostgresException("m", "ERROR", "ERROR", sqlState)));

    [Fact]
    public void IsTransient_ALostConnectionIsRetried_OtherExceptionsAreNot()
    {
        Assert.True(StoreRetry.IsTransient(new NpgsqlException("Exception while reading from stream", new IOException("reset", new SocketException(104)))));
        Assert.False(StoreRetry.IsTransient(new InvalidOperationException("x")));
        Assert.False(StoreRetry.IsTransient(new OperationCanceledException()));
    }

    [Fact]
    public void IsTransient_AClientTimeoutIsNotRetried()
    {
        // What Npgsql throws when a command runs past the connection string's Command Timeout (after cancelling it on the server).
        var commandTimeout = new NpgsqlException("Exception while reading from stream", new TimeoutException("Timeout during reading attempt"));
        Assert.True(commandTimeout.IsTransient, "Npgsql itself calls it transient");

        Assert.False(StoreRetry.IsTransient(commandTimeout));
        Assert.False(StoreRetry.IsTransient(new NpgsqlException("Failed to connect", new NpgsqlException("inner", new TimeoutException()))));
    }

    [Fact(Timeout = Bound)]
    public async Task StoreCall_ThatRunsPastTheCommandTimeout_IsAttemptedOnce()
    {
        string schema = PostgreSqlFixture.NewSchema();
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(db.ConnectionString) { CommandTimeout = 1 }.ConnectionString);
        var options = new PostgreSqlStoreOptions { MaxRetries = 3, RetryDelay = TimeSpan.FromMilliseconds(5), StatementTimeout = TimeSpan.FromMinutes(1), LockTimeout = TimeSpan.FromMinutes(1) };
        var store = new PostgreSqlLifecycleStore(dataSource, schema, options);
        await store.MigrateAsync();
        var lead = LeadLifecycle.Start(new LeadId("timeout-1")).Transition(LifecycleStage.MarketingQualified, DateTimeOffset.UnixEpoch, LifecycleActor.System, "score 72 >= 60");
        Assert.True(await store.TrySaveAsync(lead, 0));
        int retries = 0;
        store.Retry.OnRetry = _ => Interlocked.Increment(ref retries);

        // Another transaction holds the lead's row: the save waits for it until the client gives up after 1 s.
        await using var holder = await db.DataSource.OpenConnectionAsync();
        await using var tx = await holder.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM {schema}.lead_lifecycle WHERE lead_id = 'timeout-1' FOR UPDATE", holder, tx))
        {
            await lockRow.ExecuteNonQueryAsync();
        }

        var next = lead.Transition(LifecycleStage.SalesAccepted, DateTimeOffset.UnixEpoch.AddHours(1), LifecycleActor.Sales, "accepted");
        var ex = await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.TrySaveAsync(next, 1).AsTask());
        await tx.RollbackAsync();

        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Equal(0, retries);
    }

    [Fact(Timeout = Bound)]
    public async Task StoreCall_AfterTheServerDroppedItsPooledConnection_IsRetriedOnAFreshOne()
    {
        var (dataSource, name) = await OwnPoolAsync();
        await using var _ = dataSource;
        string schema = PostgreSqlFixture.NewSchema();
        var store = new PostgreSqlLifecycleStore(dataSource, schema, new PostgreSqlStoreOptions { MaxRetries = 3, RetryDelay = TimeSpan.FromMilliseconds(5) });
        await store.MigrateAsync();
        var lead = LeadLifecycle.Start(new LeadId("retry-1"));
        Assert.True(await store.TrySaveAsync(lead, 0));

        await DropIdleConnectionsAsync(name);
        var found = await store.FindAsync(lead.LeadId);

        Assert.NotNull(found);
        Assert.Equal(lead.LeadId, found!.LeadId);
    }

    [Fact(Timeout = Bound)]
    public async Task StoreCall_Retried_IsLoggedAsAWarningNamingTheStoreAndTheFailure_NeverTheLead()
    {
        var (dataSource, name) = await OwnPoolAsync();
        await using var _ = dataSource;
        var logs = new ListLoggerFactory();
        var store = new PostgreSqlLifecycleStore(dataSource, PostgreSqlFixture.NewSchema(), new PostgreSqlStoreOptions { MaxRetries = 3, RetryDelay = TimeSpan.FromMilliseconds(5), LoggerFactory = logs });
        await store.MigrateAsync();
        var lead = LeadLifecycle.Start(new LeadId("lead-with-a-secret@example.com"));
        Assert.True(await store.TrySaveAsync(lead, 0));

        await DropIdleConnectionsAsync(name);
        Assert.NotNull(await store.FindAsync(lead.LeadId));

        var (category, level, id, message) = Assert.Single(logs.Entries);
        Assert.Equal(("Alignment.Storage.PostgreSql.PostgreSqlLifecycleStore", Microsoft.Extensions.Logging.LogLevel.Warning, 4001), (category, level, id));
        Assert.StartsWith("PostgreSqlLifecycleStore: transient failure (", message, StringComparison.Ordinal);
        Assert.Contains("retry 1 of 3", message, StringComparison.Ordinal);
        Assert.DoesNotContain("example.com", message, StringComparison.Ordinal);
    }

    private sealed class ListLoggerFactory : Microsoft.Extensions.Logging.ILoggerFactory
    {
        public System.Collections.Concurrent.ConcurrentQueue<(string Category, Microsoft.Extensions.Logging.LogLevel Level, int Id, string Message)> Entries { get; } = new();

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        private sealed class Logger(ListLoggerFactory owner, string category) : Microsoft.Extensions.Logging.ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

            public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Entries.Enqueue((category, logLevel, eventId.Id, formatter(state, exception)));
        }
    }

    [Fact(Timeout = Bound)]
    public async Task StoreCall_WithRetriesOff_TheDroppedConnectionReachesTheCaller()
    {
        var (dataSource, name) = await OwnPoolAsync();
        await using var _ = dataSource;
        string schema = PostgreSqlFixture.NewSchema();
        var store = new PostgreSqlLifecycleStore(dataSource, schema, new PostgreSqlStoreOptions { MaxRetries = 0 });
        await store.MigrateAsync();
        var lead = LeadLifecycle.Start(new LeadId("retry-2"));
        Assert.True(await store.TrySaveAsync(lead, 0));

        await DropIdleConnectionsAsync(name);
        var ex = await Assert.ThrowsAnyAsync<NpgsqlException>(() => store.FindAsync(lead.LeadId).AsTask());

        Assert.True(StoreRetry.IsTransient(ex), ex.ToString());
    }

    [Fact]
    public void Options_RetriesOutOfRange_AreRefusedNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PostgreSqlLifecycleStore(db.DataSource, "s", new PostgreSqlStoreOptions { MaxRetries = 11, RetryDelay = TimeSpan.Zero }));

        Assert.Contains("PostgreSqlStoreOptions.MaxRetries", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PostgreSqlStoreOptions.RetryDelay", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A data source of its own (one pooled connection, named) so that dropping its connections touches no other test.</summary>
    private async Task<(NpgsqlDataSource DataSource, string Name)> OwnPoolAsync()
    {
        string name = "retry-" + Guid.NewGuid().ToString("N")[..8];
        var builder = new NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = name, MaxPoolSize = 1 };
        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        await using (var warm = await dataSource.OpenConnectionAsync())
        {
            await using var cmd = new NpgsqlCommand("SELECT 1", warm);
            await cmd.ExecuteScalarAsync();
        }

        return (dataSource, name);
    }

    /// <summary>Terminates, on the server, the idle connections of one pool: the pool still holds them as if they were alive.</summary>
    private async Task DropIdleConnectionsAsync(string applicationName)
    {
        await using var conn = await db.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = applicationName });
        long dropped = (long)(await cmd.ExecuteScalarAsync())!;
        Assert.True(dropped >= 1, "the pool's connection was dropped");
        await Task.Delay(200); // the backend exits
    }
}
