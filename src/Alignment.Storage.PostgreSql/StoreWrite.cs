using Npgsql;

namespace Alignment.Storage.PostgreSql;

/// <summary>
/// One store write across the attempts <see cref="StoreRetry.RunWriteAsync{T}"/> makes of it, remembering whether an earlier
/// attempt may have committed. An attempt that sent its <c>COMMIT</c> (or a batch, which commits implicitly) and then lost the
/// connection cannot tell whether the server committed: the reply was lost, not necessarily the write. The next attempt may so
/// find the write it is about to make already in the table, and must recognise it as its own (and answer as the first attempt
/// would have) rather than report a conflict with another writer.
/// </summary>
internal sealed class StoreWrite
{
    private readonly StoreRetry _retry;
    private bool _committing;

    /// <summary>Starts a write whose attempts run through <paramref name="retry"/>.</summary>
    /// <param name="retry">The pipeline (its test seam <see cref="StoreRetry.AfterCommit"/> runs after each commit).</param>
    public StoreWrite(StoreRetry retry) => _retry = retry;

    /// <summary>
    /// Gets the failure that cut an earlier attempt off after it sent its commit, when the server may have committed it (a lost
    /// connection, not an error the server answered with); <see langword="null"/> when no earlier attempt may have committed.
    /// </summary>
    public Exception? CommitInDoubt { get; private set; }

    /// <summary>Marks the point after which this attempt may commit: call just before the <c>COMMIT</c>, or before running a batch that commits implicitly.</summary>
    public void Committing() => _committing = true;

    /// <summary>Marks the commit's reply as received. Runs the test seam <see cref="StoreRetry.AfterCommit"/>, which may throw to simulate the reply's loss.</summary>
    public void Committed() => _retry.AfterCommit?.Invoke();

    /// <summary>
    /// The failure of a write whose earlier attempt may have committed but which cannot be recognised any more (the row has
    /// changed again since); not retried, the caller reads again. Its inner exception is the failure that lost the commit's reply.
    /// </summary>
    /// <param name="message">What is unknown: the store, the call and the lead.</param>
    /// <returns>The exception to throw.</returns>
    public NpgsqlException OutcomeUnknown(string message) => new StoreCommitOutcomeUnknownException(message, CommitInDoubt);

    /// <summary>Runs one attempt, noting when it failed after <see cref="Committing"/> in a way that may have left it committed.</summary>
    /// <typeparam name="T">The write's result.</typeparam>
    /// <param name="attempt">The attempt.</param>
    /// <param name="cancellationToken">Cancels it.</param>
    /// <returns>The attempt's result.</returns>
    public async ValueTask<T> RunAttemptAsync<T>(Func<StoreWrite, CancellationToken, ValueTask<T>> attempt, CancellationToken cancellationToken)
    {
        _committing = false;
        try
        {
            return await attempt(this, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (_committing && ex is not PostgresException { InvariantSeverity: "ERROR" })
        {
            // An ERROR from the server rolled the transaction back; anything else (a lost connection, a FATAL ending the session,
            // a cancellation) may have come after the server committed.
            CommitInDoubt = ex;
            throw;
        }
    }
}

/// <summary>
/// A store write that may or may not have been saved: its commit's reply was lost, and the row has changed again since, so the
/// retry could not tell whether the change it found was built on this call's write. Never retried (<see cref="IsTransient"/> is
/// <see langword="false"/>): read the lead again and decide from what is stored.
/// </summary>
internal sealed class StoreCommitOutcomeUnknownException : NpgsqlException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is unknown: the store, the call and the lead.</param>
    /// <param name="innerException">The failure that lost the commit's reply.</param>
    public StoreCommitOutcomeUnknownException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <inheritdoc />
    public override bool IsTransient => false;
}
