using System.Collections.Immutable;
using Alignment.Models;
using Alignment.Models.Registry;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql.Models;

/// <summary>
/// An <see cref="IModelRegistry"/> on PostgreSQL, for hosts on several machines that share one governance record. Releases are
/// rows of <c>model_release</c> with their approvals in <c>model_release_approval</c> (append-only, in the order given); every
/// activation and rollback is a row of <c>model_activation</c>, numbered per tenant and kind (primary key
/// <c>(tenant, kind, sequence)</c>), holding a snapshot of the content it activated. The tables come with schema version 5.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe and safe from several processes. Every write runs in one transaction under a transaction-scoped advisory lock of
/// its tenant and kind, so two activations never share a sequence, the approval rule (<see cref="ModelApprovals.GetProblems"/>)
/// is checked inside the transaction against the approvals committed, and an edit cannot slip in between the check and the
/// activation. <see cref="Activated"/> is raised in this process after the commit; other processes poll
/// <see cref="GetActiveAsync"/>. Times keep their 100 ns ticks and offset exactly.
/// </para>
/// <para>
/// Transient failures are retried (<see cref="PostgreSqlStoreOptions"/>). A retry after a commit whose reply was lost recognises
/// its own activation (the release is active with that content) or rollback (the latest entry is a rollback by the same person
/// for the same reason) and returns it, raising <see cref="Activated"/> once.
/// </para>
/// </remarks>
public sealed class PostgreSqlModelRegistry : IModelRegistry
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly StoreTimeouts _timeouts;
    private readonly StoreRetry _retry;
    private readonly TimeProvider _time;

    /// <summary>Creates the registry.</summary>
    /// <param name="dataSource">The connection source (the host owns and disposes it).</param>
    /// <param name="schema">The schema the tables live in.</param>
    /// <param name="options">The timeouts and retries of its calls; <see langword="null"/> for the defaults (read once, here).</param>
    /// <param name="timeProvider">The clock that dates activations; <see langword="null"/> for the system clock.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier, or an option is out of range.</exception>
    public PostgreSqlModelRegistry(NpgsqlDataSource dataSource, string schema = "alignment", PostgreSqlStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        SchemaName.Validate(schema, nameof(schema));
        _dataSource = dataSource;
        _schema = schema;
        _timeouts = new StoreTimeouts(options, nameof(options));
        _retry = new StoreRetry(options, store: nameof(PostgreSqlModelRegistry));
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public event EventHandler<ModelActivation>? Activated;

    /// <summary>Test seam: the retry pipeline every call of the registry runs through.</summary>
    internal StoreRetry Retry => _retry;

    /// <summary>
    /// Creates or upgrades the Alignment schema to <see cref="PostgreSqlAlignmentSchema.ExpectedVersion"/> through
    /// <see cref="PostgreSqlAlignmentSchema.MigrateAsync"/>: the tables of every PostgreSQL store, not only this one's. Idempotent
    /// and safe to run from several hosts at once.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the schema is at the expected version.</returns>
    /// <exception cref="InvalidOperationException">The schema is at a newer version than this release knows (the message names both).</exception>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default) =>
        await PostgreSqlAlignmentSchema.MigrateAsync(_dataSource, _schema, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<ModelRelease> PublishAsync(ModelRelease release, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(release);
        return _retry.RunWriteAsync((_, ct) => PublishOnceAsync(release, ct), cancellationToken);
    }

    private async ValueTask<ModelRelease> PublishOnceAsync(ModelRelease release, CancellationToken cancellationToken)
    {
        var key = release.Key;
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await BeginLockedAsync(conn, key.Tenant, key.Kind, cancellationToken).ConfigureAwait(false);
        var existing = await ReadReleaseAsync(conn, tx, key, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            if (existing.ContentHash == release.ContentHash && existing.Content == release.Content)
            {
                return existing;
            }

            if (existing.ContentHash == release.ContentHash)
            {
                throw new InvalidOperationException($"{key}: other content under the same content hash {release.ContentHash[..12]}; the hash must be computed from the content (approvals name it).");
            }

            await using var was = new NpgsqlCommand($"""
                SELECT EXISTS (SELECT 1 FROM {_schema}.model_activation WHERE tenant = $1 AND kind = $2 AND id = $3 AND version = $4)
                """, conn, tx);
            AddKey(was.Parameters, key);
            if ((bool)(await was.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                throw new InvalidOperationException($"{key} was active; its content cannot change (a rollback returns to exactly what was active). Publish the edit as a new version and activate that.");
            }
        }

        // An edit keeps the approvals given before it (void, as they name the earlier hash); the release's own approvals are ignored.
        await using (var cmd = new NpgsqlCommand($"""
            INSERT INTO {_schema}.model_release (tenant, kind, id, version, content, content_hash) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (tenant, kind, id, version) DO UPDATE SET content = EXCLUDED.content, content_hash = EXCLUDED.content_hash
            """, conn, tx))
        {
            AddKey(cmd.Parameters, key);
            cmd.Parameters.Add(Text(release.Content));
            cmd.Parameters.Add(Text(release.ContentHash));
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ModelRelease(key, release.Content, release.ContentHash) { Approvals = existing?.Approvals ?? [] };
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<ModelRelease> ApproveAsync(ReleaseKey key, ModelApproval approval, CancellationToken cancellationToken = default)
    {
        ModelApprovals.Validate(approval, nameof(approval));
        return _retry.RunWriteAsync((_, ct) => ApproveOnceAsync(key, approval, ct), cancellationToken);
    }

    private async ValueTask<ModelRelease> ApproveOnceAsync(ReleaseKey key, ModelApproval approval, CancellationToken cancellationToken)
    {
        RequireKey(key);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await BeginLockedAsync(conn, key.Tenant, key.Kind, cancellationToken).ConfigureAwait(false);
        var release = await ReadReleaseAsync(conn, tx, key, cancellationToken).ConfigureAwait(false) ?? throw NotPublished(key);
        if (approval.ContentHash != release.ContentHash)
        {
            throw new InvalidOperationException($"{key}: the approval by {approval.ApprovedBy} names content {Short(approval.ContentHash)}, but the release's content is {Short(release.ContentHash)} (it was edited); review and approve the current content.");
        }

        foreach (var a in release.Approvals)
        {
            if (a.ContentHash == release.ContentHash && string.Equals(a.ApprovedBy, approval.ApprovedBy, StringComparison.OrdinalIgnoreCase))
            {
                // The same approval again (or a retry of one whose commit reply was lost) changes nothing.
                return a.Side == approval.Side
                    ? release
                    : throw new InvalidOperationException($"{key}: {approval.ApprovedBy} already approved content {Short(release.ContentHash)} for {SideName(a.Side)}; the {SideName(approval.Side)} approval must come from someone else.");
            }
        }

        await using (var cmd = new NpgsqlCommand($"""
            INSERT INTO {_schema}.model_release_approval (tenant, kind, id, version, seq, approved_by, side, approved_at, approved_ticks, approved_offset, content_hash, comment)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """, conn, tx))
        {
            AddKey(cmd.Parameters, key);
            cmd.Parameters.Add(new NpgsqlParameter { Value = release.Approvals.Length, NpgsqlDbType = NpgsqlDbType.Integer });
            cmd.Parameters.Add(Text(approval.ApprovedBy));
            cmd.Parameters.Add(new NpgsqlParameter { Value = (short)approval.Side, NpgsqlDbType = NpgsqlDbType.Smallint });
            AddInstant(cmd.Parameters, approval.ApprovedAt);
            cmd.Parameters.Add(Text(approval.ContentHash));
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)approval.Comment ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return release with { Approvals = release.Approvals.Add(approval) };
    }

    /// <summary>Tells every subscriber, each on its own: the activation stands whatever a subscriber does, so none can hide it from the others.</summary>
    private void Raise(ModelActivation activation)
    {
        if (Activated is not { } handlers)
        {
            return;
        }

        foreach (EventHandler<ModelActivation> handler in handlers.GetInvocationList())
        {
            try
            {
                handler(this, activation);
            }
#pragma warning disable CA1031 // A subscriber's failure must not undo, or look like a failure of, an activation already committed.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public async ValueTask<ModelActivation> ActivateAsync(ReleaseKey key, string activatedBy, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(activatedBy);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        RequireKey(key);
        var (activation, recorded) = await _retry.RunWriteAsync((write, ct) => ActivateOnceAsync(key, activatedBy, reason, write, ct), cancellationToken).ConfigureAwait(false);
        if (recorded)
        {
            Raise(activation);
        }

        return activation;
    }

    private async ValueTask<(ModelActivation Activation, bool Recorded)> ActivateOnceAsync(ReleaseKey key, string by, string reason, StoreWrite write, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await BeginLockedAsync(conn, key.Tenant, key.Kind, cancellationToken).ConfigureAwait(false);
        var release = await ReadReleaseAsync(conn, tx, key, cancellationToken).ConfigureAwait(false) ?? throw NotPublished(key);
        var latest = await ReadActivationsAsync(conn, tx, key.Tenant, key.Kind, latestOnly: true, cancellationToken).ConfigureAwait(false);
        if (latest.Count > 0 && latest[0].Key == key && latest[0].ContentHash == release.ContentHash)
        {
            // Already active: unchanged, unless this is the retry of an attempt whose commit reply was lost (then it is ours).
            return (latest[0], write.CommitInDoubt is not null && latest[0].ActivatedBy == by && latest[0].Reason == reason && !latest[0].IsRollback);
        }

        long sequence = latest.Count > 0 ? latest[0].Sequence + 1 : 1;
        return (await RecordAsync(conn, tx, release, by, reason, isRollback: false, sequence, write, cancellationToken).ConfigureAwait(false), true);
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public async ValueTask<ModelActivation> RollbackAsync(string tenant, ModelKind kind, string rolledBackBy, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentException.ThrowIfNullOrWhiteSpace(rolledBackBy);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var (activation, recorded) = await _retry.RunWriteAsync((write, ct) => RollbackOnceAsync(tenant, kind, rolledBackBy, reason, write, ct), cancellationToken).ConfigureAwait(false);
        if (recorded)
        {
            Raise(activation);
        }

        return activation;
    }

    private async ValueTask<(ModelActivation Activation, bool Recorded)> RollbackOnceAsync(string tenant, ModelKind kind, string by, string reason, StoreWrite write, CancellationToken cancellationToken)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await BeginLockedAsync(conn, tenant, kind, cancellationToken).ConfigureAwait(false);
        var history = await ReadActivationsAsync(conn, tx, tenant, kind, latestOnly: false, cancellationToken).ConfigureAwait(false);
        if (ModelHistory.FindRetriedRollback(history, by, reason) is { } mine)
        {
            // A retry: by the caller (unchanged), or of an attempt whose commit reply was lost (then the rollback is ours to announce).
            return (mine, write.CommitInDoubt is not null);
        }

        if (ModelHistory.RollbackTarget(history) is not { } back)
        {
            throw new InvalidOperationException($"{kind} model of tenant '{tenant}': nothing was active before {(history.Count > 0 ? $"{history[^1].Key.Id}@{history[^1].Key.Version}" : "now")} that a rollback has not undone already; there is nothing to roll back to.");
        }

        var release = await ReadReleaseAsync(conn, tx, back, cancellationToken).ConfigureAwait(false) ?? throw NotPublished(back);
        return (await RecordAsync(conn, tx, release, by, reason, isRollback: true, history[^1].Sequence + 1, write, cancellationToken).ConfigureAwait(false), true);
    }

    /// <summary>Checks the approval rule on the release as read in this transaction, writes the history entry and commits.</summary>
    private async ValueTask<ModelActivation> RecordAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, ModelRelease release, string by, string reason, bool isRollback, long sequence, StoreWrite write, CancellationToken cancellationToken)
    {
        var problems = ModelApprovals.GetProblems(release.ContentHash, release.Approvals);
        if (!problems.IsEmpty)
        {
            throw new ModelNotPublishableException(release.Key.ToString(), problems);
        }

        var activation = new ModelActivation(release, by, _time.GetUtcNow(), reason, isRollback, sequence);
        await using (var cmd = new NpgsqlCommand($"""
            INSERT INTO {_schema}.model_activation (tenant, kind, id, version, sequence, content, content_hash, approval_count,
                activated_by, at, at_ticks, at_offset, reason, is_rollback)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
            """, conn, tx))
        {
            AddKey(cmd.Parameters, release.Key);
            cmd.Parameters.Add(new NpgsqlParameter { Value = sequence, NpgsqlDbType = NpgsqlDbType.Bigint });
            cmd.Parameters.Add(Text(release.Content));
            cmd.Parameters.Add(Text(release.ContentHash));
            cmd.Parameters.Add(new NpgsqlParameter { Value = release.Approvals.Length, NpgsqlDbType = NpgsqlDbType.Integer });
            cmd.Parameters.Add(Text(by));
            AddInstant(cmd.Parameters, activation.At);
            cmd.Parameters.Add(Text(reason));
            cmd.Parameters.Add(new NpgsqlParameter { Value = isRollback, NpgsqlDbType = NpgsqlDbType.Boolean });
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        write.Committing();
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        write.Committed();
        return activation;
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<ModelActivation?> GetActiveAsync(string tenant, ModelKind kind, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        return _retry.RunAsync(async ct =>
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            var latest = await ReadActivationsAsync(conn, null, tenant, kind, latestOnly: true, ct).ConfigureAwait(false);
            return latest.Count > 0 ? latest[0] : null;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<ModelRelease?> FindAsync(ReleaseKey key, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(key.Tenant) || string.IsNullOrWhiteSpace(key.Id) || string.IsNullOrWhiteSpace(key.Version))
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult<ModelRelease?>(null);
        }

        return _retry.RunAsync(async ct =>
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            return await ReadReleaseAsync(conn, null, key, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<IReadOnlyList<ModelActivation>> GetHistoryAsync(string tenant, ModelKind kind, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        return _retry.RunAsync(async ct =>
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            return (IReadOnlyList<ModelActivation>)await ReadActivationsAsync(conn, null, tenant, kind, latestOnly: false, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>Begins a write transaction (with the store's timeouts) holding the advisory lock of one tenant and kind until it ends.</summary>
    private async Task<NpgsqlTransaction> BeginLockedAsync(NpgsqlConnection conn, string tenant, ModelKind kind, CancellationToken cancellationToken)
    {
        var tx = await _timeouts.BeginAsync(conn, cancellationToken).ConfigureAwait(false);
        try
        {
            await using var cmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", conn, tx);
            cmd.Parameters.Add(Text($"alignment.model:{_schema}:{(int)kind}:{tenant}"));
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return tx;
        }
        catch
        {
            await tx.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A release with every approval, in the order given; <see langword="null"/> when it was never published.</summary>
    private async Task<ModelRelease?> ReadReleaseAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, ReleaseKey key, CancellationToken cancellationToken)
    {
        ModelRelease release;
        await using (var cmd = new NpgsqlCommand($"SELECT content, content_hash FROM {_schema}.model_release WHERE tenant = $1 AND kind = $2 AND id = $3 AND version = $4", conn, tx))
        {
            AddKey(cmd.Parameters, key);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            release = new ModelRelease(key, reader.GetString(0), reader.GetString(1));
        }

        var approvals = await ReadApprovalsAsync(conn, tx, key.Tenant, key.Kind, key, cancellationToken).ConfigureAwait(false);
        return release with { Approvals = approvals.GetValueOrDefault((key.Id, key.Version), []) };
    }

    /// <summary>
    /// The activations of a tenant and kind, oldest first (or only the latest), each with the release as activated: the content
    /// snapshot of the row and the approvals recorded before it (approvals are only ever appended, so they are the first
    /// <c>approval_count</c> of the release's).
    /// </summary>
    private async Task<List<ModelActivation>> ReadActivationsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string tenant, ModelKind kind, bool latestOnly, CancellationToken cancellationToken)
    {
        var rows = new List<(ReleaseKey Key, string Content, string Hash, int Approvals, string By, DateTimeOffset At, string Reason, bool IsRollback, long Sequence)>();
        await using (var cmd = new NpgsqlCommand($"""
            SELECT id, version, content, content_hash, approval_count, activated_by, at_ticks, at_offset, reason, is_rollback, sequence
            FROM {_schema}.model_activation WHERE tenant = $1 AND kind = $2
            ORDER BY sequence {(latestOnly ? "DESC LIMIT 1" : string.Empty)}
            """, conn, tx))
        {
            cmd.Parameters.Add(Text(tenant));
            cmd.Parameters.Add(Kind(kind));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((new ReleaseKey(tenant, kind, reader.GetString(0), reader.GetString(1)), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                    reader.GetString(5), Instant(reader.GetInt64(6), reader.GetInt16(7)), reader.GetString(8), reader.GetBoolean(9), reader.GetInt64(10)));
            }
        }

        if (rows.Count == 0)
        {
            return [];
        }

        var approvals = await ReadApprovalsAsync(conn, tx, tenant, kind, latestOnly ? rows[0].Key : null, cancellationToken).ConfigureAwait(false);
        return rows.ConvertAll(r =>
        {
            var all = approvals.GetValueOrDefault((r.Key.Id, r.Key.Version), []);
            var release = new ModelRelease(r.Key, r.Content, r.Hash) { Approvals = all.Length <= r.Approvals ? all : ImmutableArray.Create(all, 0, r.Approvals) };
            return new ModelActivation(release, r.By, r.At, r.Reason, r.IsRollback, r.Sequence);
        });
    }

    /// <summary>The approvals of one release, or of every release of a tenant and kind, by id and version, in the order given.</summary>
    private async Task<Dictionary<(string Id, string Version), ImmutableArray<ModelApproval>>> ReadApprovalsAsync(
        NpgsqlConnection conn, NpgsqlTransaction? tx, string tenant, ModelKind kind, ReleaseKey? only, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand($"""
            SELECT id, version, approved_by, side, approved_ticks, approved_offset, content_hash, comment
            FROM {_schema}.model_release_approval WHERE tenant = $1 AND kind = $2 {(only is null ? string.Empty : "AND id = $3 AND version = $4")}
            ORDER BY id, version, seq
            """, conn, tx);
        cmd.Parameters.Add(Text(tenant));
        cmd.Parameters.Add(Kind(kind));
        if (only is { } k)
        {
            cmd.Parameters.Add(Text(k.Id));
            cmd.Parameters.Add(Text(k.Version));
        }

        var builders = new Dictionary<(string, string), ImmutableArray<ModelApproval>.Builder>();
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = (reader.GetString(0), reader.GetString(1));
                if (!builders.TryGetValue(id, out var list))
                {
                    builders[id] = list = ImmutableArray.CreateBuilder<ModelApproval>();
                }

                list.Add(new ModelApproval(reader.GetString(2), (ApprovalSide)reader.GetInt16(3), Instant(reader.GetInt64(4), reader.GetInt16(5)), reader.GetString(6))
                {
                    Comment = reader.IsDBNull(7) ? null : reader.GetString(7),
                });
            }
        }

        return builders.ToDictionary(b => b.Key, b => b.Value.ToImmutable());
    }

    private static void RequireKey(ReleaseKey key)
    {
        if (string.IsNullOrWhiteSpace(key.Tenant) || string.IsNullOrWhiteSpace(key.Id) || string.IsNullOrWhiteSpace(key.Version))
        {
            throw new ArgumentException($"A release key needs a tenant, an id and a version (got tenant '{key.Tenant}', id '{key.Id}', version '{key.Version}').", nameof(key));
        }
    }

    private static KeyNotFoundException NotPublished(ReleaseKey key) => new($"{key} was never published to this registry.");

    private static void AddKey(NpgsqlParameterCollection parameters, ReleaseKey key)
    {
        parameters.Add(Text(key.Tenant));
        parameters.Add(Kind(key.Kind));
        parameters.Add(Text(key.Id));
        parameters.Add(Text(key.Version));
    }

    /// <summary>An instant as three parameters: the <c>timestamptz</c> for queries, its UTC ticks and its offset in minutes.</summary>
    private static void AddInstant(NpgsqlParameterCollection parameters, DateTimeOffset at)
    {
        parameters.Add(new NpgsqlParameter { Value = at.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        parameters.Add(new NpgsqlParameter { Value = at.UtcTicks, NpgsqlDbType = NpgsqlDbType.Bigint });
        parameters.Add(new NpgsqlParameter { Value = (short)at.TotalOffsetMinutes, NpgsqlDbType = NpgsqlDbType.Smallint });
    }

    private static DateTimeOffset Instant(long utcTicks, short offsetMinutes)
    {
        var offset = TimeSpan.FromMinutes(offsetMinutes);
        return new DateTimeOffset(utcTicks + offset.Ticks, offset);
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

    private static string SideName(ApprovalSide side) => side == ApprovalSide.Sales ? "sales" : "marketing";

    private static NpgsqlParameter Kind(ModelKind kind) => new() { Value = (short)kind, NpgsqlDbType = NpgsqlDbType.Smallint };

    private static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };
}
