using Microsoft.Extensions.Logging;

namespace Alignment.Storage.PostgreSql;

/// <summary>
/// Limits the PostgreSQL stores put on each write transaction they open, so that a stalled transaction elsewhere (one holding
/// the routing lock or a lead's row) makes a call fail fast instead of queueing every caller behind it.
/// </summary>
/// <remarks>
/// The limits are set with <c>SET LOCAL</c> semantics (<c>set_config(…, true)</c>) at the start of every write transaction
/// (routing decisions and updates, lifecycle saves, nurture enrolments, claims and sent steps, campaign writes), so they end
/// with the transaction and never change a pooled connection the host shares. Reads run without them (they take no row locks,
/// and a slow consumer of a streamed list must not be cut off); bound them with the cancellation token. A call that runs out
/// of time fails with a <c>PostgresException</c> whose <c>SqlState</c> is <c>55P03</c> (lock timeout) or <c>57014</c>
/// (statement timeout); its transaction is rolled back and the call can be retried.
/// </remarks>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>Gets or sets the longest time one statement of a write transaction may run, waiting for locks included (<c>statement_timeout</c>).</summary>
    /// <value>30 seconds. Between 1 millisecond and 24 days.</value>
    public TimeSpan StatementTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the longest time a statement of a write transaction waits for a lock (<c>lock_timeout</c>): one of the routing
    /// store's advisory locks (a lead's, a pool's or a rep's), or the row of a lead another transaction is writing.
    /// </summary>
    /// <value>5 seconds. Between 1 millisecond and 24 days.</value>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how many times a store call is tried again after a transient failure: a lost or refused connection, a
    /// serialization failure (<c>40001</c>), a deadlock (<c>40P01</c>), or another error Npgsql marks transient. Timeouts are not
    /// retried, being the limits the host chose: the ones above (<c>55P03</c>, <c>57014</c>), and the connection string's
    /// <c>Command Timeout</c> and <c>Timeout</c> (an <c>NpgsqlException</c> caused by a <see cref="TimeoutException"/>), so a
    /// stalled call fails after one such limit, not after <see cref="MaxRetries"/> + 1 of them. A write whose commit reached the
    /// server but whose reply was lost is recognised by its retry, which answers as the first attempt would have (a routing
    /// decision is returned, not made twice; a save, insert or member addition returns <see langword="true"/>); a change at an
    /// expected version that another write followed before the retry throws instead, naming the store and the lead (each store
    /// method's documentation says which).
    /// </summary>
    /// <value>3. Between 0 (no retry) and 10.</value>
    public int MaxRetries { get; set; } = 3;

    /// <summary>
    /// Gets or sets the delay before the first retry; each further retry waits about twice as long, with random jitter so that
    /// instances that failed together do not retry together.
    /// </summary>
    /// <value>100 milliseconds. Between 1 millisecond and 1 minute.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Gets or sets how many routing decisions <see cref="PostgreSqlRoutingStateStore"/> may make in one transaction. Decisions
    /// made through one store instance with the same <see cref="Alignment.Policies.Handoff.CompiledRoutingPolicy"/> object that
    /// arrive while one of them is being decided wait for it and are then decided together, whatever pools they route to, one
    /// after another, and committed at once: two round trips and one commit per group instead of per decision. A decision whose
    /// pool or rep another transaction holds is left out of the group and waits for that lock in a queue of its
    /// <see cref="Alignment.Policies.Handoff.RoutingFootprint"/>, so it does not hold up the policy's other decisions. A decision
    /// that arrives alone is made at once. 1 makes every decision its own transaction.
    /// </summary>
    /// <value>32. Between 1 and 1,000.</value>
    public int MaxDecisionsPerTransaction { get; set; } = 32;

    /// <summary>
    /// Where the stores log each retry of a transient failure (Warning, event 4001, category
    /// <c>Alignment.Storage.PostgreSql.{store}</c>: the store, the SQLSTATE or failure type, the attempt and the delay; never a
    /// message text, which can quote row values). The <c>UsePostgreSql…</c> registrations fill it with the host's
    /// <see cref="ILoggerFactory"/> when it is not set.
    /// </summary>
    /// <value><see langword="null"/>: no logging.</value>
    public ILoggerFactory? LoggerFactory { get; set; }
}
