using System.Collections.Immutable;
using Alignment.Leads;
using Alignment.Models.Challengers;
using Alignment.Models.Registry;
using Alignment.Scoring;
using Alignment.Scoring.Backtesting;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql.Models;

/// <summary>
/// An <see cref="IChallengerLedger"/> on PostgreSQL, for hosts on several machines that score the same tenants beside a challenger:
/// every host's batches accumulate in one comparison, which survives restarts. Each tenant's attachment is a row of
/// <c>challenger_attachment</c>; each lead's latest pair and outcome a row of <c>challenger_lead</c> (schema version 9).
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe and safe from several processes. <see cref="RecordAsync"/> runs in one transaction that locks the tenant's attachment
/// row (<c>FOR UPDATE</c>), checks that the batch belongs to it, and upserts the leads in two statements (pairs, then outcomes), so
/// an attachment, a detachment or a change of champion is never interleaved with half a batch. Times keep their 100 ns ticks and
/// offset exactly.
/// </para>
/// <para>
/// Transient failures are retried (<see cref="PostgreSqlStoreOptions"/>). Recording a batch again (a retry after a commit whose
/// reply was lost) leaves the same rows.
/// </para>
/// </remarks>
public sealed class PostgreSqlChallengerLedger : IChallengerLedger
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly StoreTimeouts _timeouts;
    private readonly StoreRetry _retry;

    /// <summary>Creates the ledger.</summary>
    /// <param name="dataSource">The connection source (the host owns and disposes it).</param>
    /// <param name="schema">The schema the tables live in.</param>
    /// <param name="options">The timeouts and retries of its calls; <see langword="null"/> for the defaults (read once, here).</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier, or an option is out of range.</exception>
    public PostgreSqlChallengerLedger(NpgsqlDataSource dataSource, string schema = "alignment", PostgreSqlStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        SchemaName.Validate(schema, nameof(schema));
        _dataSource = dataSource;
        _schema = schema;
        _timeouts = new StoreTimeouts(options, nameof(options));
        _retry = new StoreRetry(options, store: nameof(PostgreSqlChallengerLedger));
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask AttachAsync(ChallengerAttachment attachment, CancellationToken cancellationToken = default)
    {
        ChallengerLedgerRules.Validate(attachment, nameof(attachment));
        return new ValueTask(_retry.RunWriteAsync(async (_, ct) =>
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await _timeouts.BeginAsync(conn, ct).ConfigureAwait(false);
            await using (var cmd = new NpgsqlCommand($"""
                INSERT INTO {_schema}.challenger_attachment (tenant, challenger_kind, challenger_id, challenger_version, champion_kind, champion_id,
                    champion_version, champion_sequence, attached_at, attached_ticks, attached_offset, attached_by)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                ON CONFLICT (tenant) DO UPDATE SET challenger_kind = EXCLUDED.challenger_kind, challenger_id = EXCLUDED.challenger_id,
                    challenger_version = EXCLUDED.challenger_version, champion_kind = EXCLUDED.champion_kind, champion_id = EXCLUDED.champion_id,
                    champion_version = EXCLUDED.champion_version, champion_sequence = EXCLUDED.champion_sequence, attached_at = EXCLUDED.attached_at,
                    attached_ticks = EXCLUDED.attached_ticks, attached_offset = EXCLUDED.attached_offset, attached_by = EXCLUDED.attached_by
                """, conn, tx))
            {
                var p = cmd.Parameters;
                p.Add(Text(attachment.Tenant));
                p.Add(Small((short)attachment.Challenger.Kind));
                p.Add(Text(attachment.Challenger.Id));
                p.Add(Text(attachment.Challenger.Version));
                p.Add(Small((short)attachment.Champion.Kind));
                p.Add(Text(attachment.Champion.Id));
                p.Add(Text(attachment.Champion.Version));
                p.Add(new NpgsqlParameter { Value = attachment.ChampionSequence, NpgsqlDbType = NpgsqlDbType.Bigint });
                p.Add(new NpgsqlParameter { Value = attachment.AttachedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
                p.Add(new NpgsqlParameter { Value = attachment.AttachedAt.UtcTicks, NpgsqlDbType = NpgsqlDbType.Bigint });
                p.Add(Small((short)attachment.AttachedAt.TotalOffsetMinutes));
                p.Add(Text(attachment.AttachedBy));
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await ClearLeadsAsync(conn, tx, attachment.Tenant, ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).AsTask());
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<bool> DetachAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        return _retry.RunWriteAsync(async (_, ct) =>
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await _timeouts.BeginAsync(conn, ct).ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand($"DELETE FROM {_schema}.challenger_attachment WHERE tenant = $1", conn, tx);
            cmd.Parameters.Add(Text(tenant));
            int deleted = await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return deleted > 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<ChallengerAttachment?> GetAttachmentAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        return _retry.RunAsync(async ct =>
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            return await ReadAttachmentAsync(conn, null, tenant, forUpdate: false, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<bool> RecordAsync(ChallengerAttachment attachment, IReadOnlyList<ChallengerObservation> observations, IReadOnlyList<ChallengerOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        ChallengerLedgerRules.Validate(attachment, nameof(attachment));
        ChallengerLedgerRules.Validate(observations, outcomes);

        // One row per lead and statement (the last entry of the batch wins), as ON CONFLICT cannot touch a row twice.
        var pairs = Latest(observations, static o => o.Lead);
        var closed = Latest(outcomes, static o => o.Lead);
        return _retry.RunWriteAsync(async (_, ct) =>
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await _timeouts.BeginAsync(conn, ct).ConfigureAwait(false);
            var stored = await ReadAttachmentAsync(conn, tx, attachment.Tenant, forUpdate: true, ct).ConfigureAwait(false);
            if (!attachment.IsSameAttachment(stored) || attachment.ChampionSequence < stored!.ChampionSequence)
            {
                return false;
            }

            if (attachment.ChampionSequence > stored.ChampionSequence)
            {
                await using (var cmd = new NpgsqlCommand($"""
                    UPDATE {_schema}.challenger_attachment SET champion_kind = $2, champion_id = $3, champion_version = $4, champion_sequence = $5
                    WHERE tenant = $1
                    """, conn, tx))
                {
                    cmd.Parameters.Add(Text(attachment.Tenant));
                    cmd.Parameters.Add(Small((short)attachment.Champion.Kind));
                    cmd.Parameters.Add(Text(attachment.Champion.Id));
                    cmd.Parameters.Add(Text(attachment.Champion.Version));
                    cmd.Parameters.Add(new NpgsqlParameter { Value = attachment.ChampionSequence, NpgsqlDbType = NpgsqlDbType.Bigint });
                    await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                await ClearLeadsAsync(conn, tx, attachment.Tenant, ct).ConfigureAwait(false);
            }

            if (pairs.Count > 0)
            {
                await WritePairsAsync(conn, tx, attachment.Tenant, pairs, ct).ConfigureAwait(false);
            }

            if (closed.Count > 0)
            {
                await WriteOutcomesAsync(conn, tx, attachment.Tenant, closed, ct).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<ChallengerRecord?> ReadAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        return _retry.RunAsync(async ct =>
        {
            // One statement, so the attachment and its leads come from one snapshot.
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await _timeouts.BeginAsync(conn, ct).ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand($"""
                SELECT a.challenger_kind, a.challenger_id, a.challenger_version, a.champion_kind, a.champion_id, a.champion_version,
                    a.champion_sequence, a.attached_ticks, a.attached_offset, a.attached_by,
                    l.lead_id, l.champion_total, l.champion_fit, l.champion_grade, l.champion_state, l.challenger_total, l.challenger_fit,
                    l.challenger_grade, l.challenger_state, l.scored_ticks, l.scored_offset, l.outcome, l.closed_ticks, l.closed_offset
                FROM {_schema}.challenger_attachment a
                LEFT JOIN {_schema}.challenger_lead l ON l.tenant = a.tenant AND l.has_pair
                WHERE a.tenant = $1 ORDER BY l.lead_id COLLATE "C"
                """, conn, tx);
            cmd.Parameters.Add(Text(tenant));
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            ChallengerAttachment? attachment = null;
            var leads = ImmutableArray.CreateBuilder<ChallengerLead>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                attachment ??= Attachment(reader, tenant);
                if (reader.IsDBNull(10))
                {
                    continue;
                }

                leads.Add(new ChallengerLead(
                    new LeadId(reader.GetString(10)),
                    new ChallengerScore(reader.GetInt64(11), reader.GetInt64(12), (Grade)reader.GetInt16(13), (QualificationState)reader.GetInt16(14)),
                    new ChallengerScore(reader.GetInt64(15), reader.GetInt64(16), (Grade)reader.GetInt16(17), (QualificationState)reader.GetInt16(18)),
                    Instant(reader.GetInt64(19), reader.GetInt16(20)),
                    (BacktestOutcome)reader.GetInt16(21),
                    reader.IsDBNull(22) ? null : Instant(reader.GetInt64(22), reader.GetInt16(23))));
            }

            return attachment is null ? null : new ChallengerRecord(attachment, leads.DrainToImmutable());
        }, cancellationToken);
    }

    private async Task<ChallengerAttachment?> ReadAttachmentAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string tenant, bool forUpdate, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand($"""
            SELECT challenger_kind, challenger_id, challenger_version, champion_kind, champion_id, champion_version, champion_sequence,
                attached_ticks, attached_offset, attached_by
            FROM {_schema}.challenger_attachment WHERE tenant = $1 {(forUpdate ? "FOR UPDATE" : string.Empty)}
            """, conn, tx);
        cmd.Parameters.Add(Text(tenant));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return Attachment(reader, tenant);
    }

    /// <summary>The attachment in the first ten columns of the current row.</summary>
    private static ChallengerAttachment Attachment(NpgsqlDataReader reader, string tenant) =>
        new(
            new ReleaseKey(tenant, (ModelKind)reader.GetInt16(0), reader.GetString(1), reader.GetString(2)),
            new ReleaseKey(tenant, (ModelKind)reader.GetInt16(3), reader.GetString(4), reader.GetString(5)),
            reader.GetInt64(6),
            Instant(reader.GetInt64(7), reader.GetInt16(8)),
            reader.GetString(9));

    private async Task ClearLeadsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string tenant, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand($"DELETE FROM {_schema}.challenger_lead WHERE tenant = $1", conn, tx);
        cmd.Parameters.Add(Text(tenant));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Upserts each lead's pair, except where the lead already has a pair and an outcome (its pair stays as it was).</summary>
    private async Task WritePairsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string tenant, List<ChallengerObservation> pairs, CancellationToken cancellationToken)
    {
        int n = pairs.Count;
        var ids = new string[n];
        long[] ct = new long[n], cf = new long[n], xt = new long[n], xf = new long[n], ticks = new long[n];
        short[] cg = new short[n], cs = new short[n], xg = new short[n], xs = new short[n], offsets = new short[n];
        for (int i = 0; i < n; i++)
        {
            var o = pairs[i];
            ids[i] = o.Lead.Value;
            (ct[i], cf[i], cg[i], cs[i]) = (o.Champion.TotalHundredths, o.Champion.FitHundredths, (short)o.Champion.Grade, (short)o.Champion.State);
            (xt[i], xf[i], xg[i], xs[i]) = (o.Challenger.TotalHundredths, o.Challenger.FitHundredths, (short)o.Challenger.Grade, (short)o.Challenger.State);
            (ticks[i], offsets[i]) = (o.ScoredAt.UtcTicks, (short)o.ScoredAt.TotalOffsetMinutes);
        }

        await using var cmd = new NpgsqlCommand($"""
            INSERT INTO {_schema}.challenger_lead AS l (tenant, lead_id, has_pair, champion_total, champion_fit, champion_grade, champion_state,
                challenger_total, challenger_fit, challenger_grade, challenger_state, scored_ticks, scored_offset)
            SELECT $1, u.* FROM unnest($2::text[], $3::boolean[], $4::bigint[], $5::bigint[], $6::smallint[], $7::smallint[], $8::bigint[], $9::bigint[],
                $10::smallint[], $11::smallint[], $12::bigint[], $13::smallint[]) AS u
            ON CONFLICT (tenant, lead_id) DO UPDATE SET has_pair = true, champion_total = EXCLUDED.champion_total, champion_fit = EXCLUDED.champion_fit,
                champion_grade = EXCLUDED.champion_grade, champion_state = EXCLUDED.champion_state, challenger_total = EXCLUDED.challenger_total,
                challenger_fit = EXCLUDED.challenger_fit, challenger_grade = EXCLUDED.challenger_grade, challenger_state = EXCLUDED.challenger_state,
                scored_ticks = EXCLUDED.scored_ticks, scored_offset = EXCLUDED.scored_offset
            WHERE NOT (l.has_pair AND l.outcome <> 0) AND NOT (l.has_pair AND l.scored_ticks > EXCLUDED.scored_ticks)
            """, conn, tx);
        var p = cmd.Parameters;
        p.Add(Text(tenant));
        p.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter { Value = Enumerable.Repeat(true, n).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
        p.Add(Longs(ct));
        p.Add(Longs(cf));
        p.Add(Shorts(cg));
        p.Add(Shorts(cs));
        p.Add(Longs(xt));
        p.Add(Longs(xf));
        p.Add(Shorts(xg));
        p.Add(Shorts(xs));
        p.Add(Longs(ticks));
        p.Add(Shorts(offsets));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets each lead's outcome; a lead without a row yet gets one without a pair, which its first pair fills in.</summary>
    private async Task WriteOutcomesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string tenant, List<ChallengerOutcome> outcomes, CancellationToken cancellationToken)
    {
        int n = outcomes.Count;
        var ids = new string[n];
        var kinds = new short[n];
        var ticks = new long?[n];
        var offsets = new short?[n];
        for (int i = 0; i < n; i++)
        {
            var o = outcomes[i];
            ids[i] = o.Lead.Value;
            kinds[i] = (short)o.Outcome;
            if (o.Outcome != BacktestOutcome.Open && o.ClosedAt is { } at)
            {
                (ticks[i], offsets[i]) = (at.UtcTicks, (short)at.TotalOffsetMinutes);
            }
        }

        await using var cmd = new NpgsqlCommand($"""
            INSERT INTO {_schema}.challenger_lead AS l (tenant, lead_id, has_pair, outcome, closed_ticks, closed_offset)
            SELECT $1, u.id, false, u.outcome, u.ticks, u.off FROM unnest($2::text[], $3::smallint[], $4::bigint[], $5::smallint[]) AS u(id, outcome, ticks, off)
            ON CONFLICT (tenant, lead_id) DO UPDATE SET outcome = EXCLUDED.outcome, closed_ticks = EXCLUDED.closed_ticks, closed_offset = EXCLUDED.closed_offset
            """, conn, tx);
        cmd.Parameters.Add(Text(tenant));
        cmd.Parameters.Add(new NpgsqlParameter { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(Shorts(kinds));
        cmd.Parameters.Add(new NpgsqlParameter { Value = ticks, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = offsets, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The entries of a batch with one per lead: the last one given, at the position of the lead's first.</summary>
    private static List<T> Latest<T>(IReadOnlyList<T> entries, Func<T, LeadId> lead)
    {
        var index = new Dictionary<LeadId, int>(entries.Count);
        var list = new List<T>(entries.Count);
        foreach (var e in entries)
        {
            if (index.TryGetValue(lead(e), out int i))
            {
                list[i] = e;
            }
            else
            {
                index.Add(lead(e), list.Count);
                list.Add(e);
            }
        }

        return list;
    }

    private static DateTimeOffset Instant(long utcTicks, short offsetMinutes)
    {
        var offset = TimeSpan.FromMinutes(offsetMinutes);
        return new DateTimeOffset(utcTicks + offset.Ticks, offset);
    }

    private static NpgsqlParameter Longs(long[] values) => new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint };

    private static NpgsqlParameter Shorts(short[] values) => new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint };

    private static NpgsqlParameter Small(short value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Smallint };

    private static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };
}
