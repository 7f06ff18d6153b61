using System.Collections.Immutable;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Segmentation;
using Alignment.Segmentation.Collateral;
using Alignment.Storage.PostgreSql.Decisions;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql.Content;

/// <summary>
/// An <see cref="IContentStore"/> on PostgreSQL: each tenant's collateral items with their history, usages, deal outcomes and reps'
/// suggestions, kept across restarts and shared by every host (schema version 13: <c>content_item</c>, <c>content_history</c>,
/// <c>content_usage</c>, <c>content_deal</c>, <c>content_suggestion</c>).
/// </summary>
/// <remarks>
/// Thread-safe and safe from several processes. Saving an item rewrites its row and its history in one transaction; a read is one
/// snapshot (repeatable read). Times keep their 100 ns ticks and offset exactly. Transient failures are retried
/// (<see cref="PostgreSqlStoreOptions"/>); saving an item, a suggestion or a deal outcome again leaves the same rows, while
/// usages are appended (a retry after a lost commit reply may append a batch twice).
/// </remarks>
public sealed class PostgreSqlContentStore : IContentStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly StoreTimeouts _timeouts;
    private readonly StoreRetry _retry;

    /// <summary>Creates the store.</summary>
    /// <param name="dataSource">The connection source (the host owns and disposes it).</param>
    /// <param name="schema">The schema the tables live in.</param>
    /// <param name="options">The timeouts and retries of its calls; <see langword="null"/> for the defaults (read once, here).</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <param name="recordDecisions">
    /// Whether each state change (an item's new history entries, a new suggestion, a suggestion drafted) is also recorded as an
    /// <see cref="AlignmentDecision.ContentChanged"/> decision in the schema's decision outbox, in the same transaction,
    /// keyed by <see cref="ContentChange.Key"/> (see <c>PostgreSqlDecisionOutbox</c>).
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier, or an option is out of range.</exception>
    public PostgreSqlContentStore(NpgsqlDataSource dataSource, string schema = "alignment", PostgreSqlStoreOptions? options = null, bool recordDecisions = false)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        SchemaName.Validate(schema, nameof(schema));
        RecordsDecisions = recordDecisions;
        _dataSource = dataSource;
        _schema = schema;
        _timeouts = new StoreTimeouts(options, nameof(options));
        _retry = new StoreRetry(options, store: nameof(PostgreSqlContentStore));
    }

    /// <inheritdoc />
    public bool RecordsDecisions { get; }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask SaveItemAsync(string tenant, CollateralItem item, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ContentStoreRules.Validate(item, nameof(item));
        return new ValueTask(_retry.RunWriteAsync(async (_, ct) =>
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await _timeouts.BeginAsync(conn, ct).ConfigureAwait(false);
            await using (var cmd = new NpgsqlCommand($"""
                INSERT INTO {_schema}.content_item (tenant, id, title, owner, kind, location, segments, revision, created_ticks, created_offset,
                    reviewed_ticks, reviewed_offset, expires_ticks, expires_offset, status, reviewed_by, approved_ticks, approved_offset, rejection_reason)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
                ON CONFLICT (tenant, id) DO UPDATE SET title = EXCLUDED.title, owner = EXCLUDED.owner, kind = EXCLUDED.kind,
                    location = EXCLUDED.location, segments = EXCLUDED.segments, revision = EXCLUDED.revision,
                    created_ticks = EXCLUDED.created_ticks, created_offset = EXCLUDED.created_offset,
                    reviewed_ticks = EXCLUDED.reviewed_ticks, reviewed_offset = EXCLUDED.reviewed_offset,
                    expires_ticks = EXCLUDED.expires_ticks, expires_offset = EXCLUDED.expires_offset, status = EXCLUDED.status,
                    reviewed_by = EXCLUDED.reviewed_by, approved_ticks = EXCLUDED.approved_ticks, approved_offset = EXCLUDED.approved_offset,
                    rejection_reason = EXCLUDED.rejection_reason
                """, conn, tx))
            {
                var p = cmd.Parameters;
                p.Add(Text(tenant));
                p.Add(Text(item.Id));
                p.Add(Text(item.Title));
                p.Add(Text(item.Owner));
                p.Add(Text(item.Kind));
                p.Add(Text(item.Location?.OriginalString));
                p.Add(new NpgsqlParameter { Value = item.Segments.Select(s => s.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                p.Add(new NpgsqlParameter { Value = item.Revision, NpgsqlDbType = NpgsqlDbType.Integer });
                AddInstant(p, item.CreatedAt);
                AddInstant(p, item.LastReviewedAt);
                AddInstant(p, item.ExpiresAt);
                p.Add(Small((short)item.Status));
                p.Add(Text(item.ReviewedBy));
                AddInstant(p, item.ApprovedAt);
                p.Add(Text(item.RejectionReason));
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            int stored;
            await using (var cmd = new NpgsqlCommand($"DELETE FROM {_schema}.content_history WHERE tenant = $1 AND item_id = $2", conn, tx))
            {
                cmd.Parameters.Add(Text(tenant));
                cmd.Parameters.Add(Text(item.Id));
                stored = await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            if (RecordsDecisions && item.History.Length > stored)
            {
                // The entries past those stored are the changes this save makes: one decision each, in this transaction.
                await using var record = new NpgsqlBatch(conn, tx);
                for (int i = stored; i < item.History.Length; i++)
                {
                    var change = new AlignmentDecision.ContentChanged(ContentChange.Of(tenant, item.Id, item.History[i]));
                    record.BatchCommands.Add(PostgreSqlDecisionOutbox.Insert(_schema, change.Change.Key, change));
                }

                await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            if (item.History.Length > 0)
            {
                int n = item.History.Length;
                var seq = new int[n];
                var kinds = new short[n];
                var revisions = new int[n];
                var ticks = new long[n];
                var offsets = new short[n];
                var by = new string?[n];
                var reasons = new string?[n];
                for (int i = 0; i < n; i++)
                {
                    var h = item.History[i];
                    (seq[i], kinds[i], revisions[i], ticks[i], offsets[i], by[i], reasons[i]) =
                        (i, (short)h.Kind, h.Revision, h.At.UtcTicks, (short)h.At.TotalOffsetMinutes, h.By, h.Reason);
                }

                await using var cmd = new NpgsqlCommand($"""
                    INSERT INTO {_schema}.content_history (tenant, item_id, seq, kind, revision, at_ticks, at_offset, by, reason)
                    SELECT $1, $2, u.* FROM unnest($3::int[], $4::smallint[], $5::int[], $6::bigint[], $7::smallint[], $8::text[], $9::text[]) AS u
                    """, conn, tx);
                var p = cmd.Parameters;
                p.Add(Text(tenant));
                p.Add(Text(item.Id));
                p.Add(new NpgsqlParameter { Value = seq, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
                p.Add(new NpgsqlParameter { Value = kinds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
                p.Add(new NpgsqlParameter { Value = revisions, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
                p.Add(new NpgsqlParameter { Value = ticks, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
                p.Add(new NpgsqlParameter { Value = offsets, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
                p.Add(new NpgsqlParameter { Value = by, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                p.Add(new NpgsqlParameter { Value = reasons, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).AsTask());
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask AddUsagesAsync(string tenant, IReadOnlyList<CollateralUsage> usages, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentNullException.ThrowIfNull(usages);
        foreach (var u in usages)
        {
            ContentStoreRules.Validate(u, nameof(usages));
        }

        if (usages.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        return new ValueTask(_retry.RunWriteAsync(async (_, ct) =>
        {
            int n = usages.Count;
            var items = new string[n];
            var reps = new string[n];
            var deals = new string[n];
            var helpful = new bool?[n];
            var ratings = new short?[n];
            var outcomes = new short[n];
            var ticks = new long?[n];
            var offsets = new short?[n];
            var order = new int[n];
            for (int i = 0; i < n; i++)
            {
                var u = usages[i];
                (items[i], reps[i], deals[i], helpful[i], ratings[i], outcomes[i], order[i]) =
                    (u.ItemId, u.Rep.Value, u.DealId, u.Helpful, (short?)u.Rating, (short)u.Outcome, i);
                if (u.UsedAt is { } at)
                {
                    (ticks[i], offsets[i]) = (at.UtcTicks, (short)at.TotalOffsetMinutes);
                }
            }

            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await _timeouts.BeginAsync(conn, ct).ConfigureAwait(false);
            await using (var cmd = new NpgsqlCommand($"""
                INSERT INTO {_schema}.content_usage (tenant, item_id, rep, deal_id, helpful, rating, outcome, used_ticks, used_offset)
                SELECT $1, u.item, u.rep, u.deal, u.helpful, u.rating, u.outcome, u.ticks, u.off
                FROM unnest($2::text[], $3::text[], $4::text[], $5::boolean[], $6::smallint[], $7::smallint[], $8::bigint[], $9::smallint[], $10::int[])
                    AS u(item, rep, deal, helpful, rating, outcome, ticks, off, ord)
                ORDER BY u.ord
                """, conn, tx))
            {
                var p = cmd.Parameters;
                p.Add(Text(tenant));
                p.Add(new NpgsqlParameter { Value = items, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                p.Add(new NpgsqlParameter { Value = reps, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                p.Add(new NpgsqlParameter { Value = deals, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                p.Add(new NpgsqlParameter { Value = helpful, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
                p.Add(new NpgsqlParameter { Value = ratings, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
                p.Add(new NpgsqlParameter { Value = outcomes, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
                p.Add(new NpgsqlParameter { Value = ticks, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
                p.Add(new NpgsqlParameter { Value = offsets, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
                p.Add(new NpgsqlParameter { Value = order, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).AsTask());
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask SetDealOutcomeAsync(string tenant, string dealId, DealOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentException.ThrowIfNullOrWhiteSpace(dealId);
        return new ValueTask(_retry.RunWriteAsync(async (_, ct) =>
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var cmd = new NpgsqlCommand($"""
                INSERT INTO {_schema}.content_deal (tenant, deal_id, outcome) VALUES ($1, $2, $3)
                ON CONFLICT (tenant, deal_id) DO UPDATE SET outcome = EXCLUDED.outcome
                """, conn);
            cmd.Parameters.Add(Text(tenant));
            cmd.Parameters.Add(Text(dealId));
            cmd.Parameters.Add(Small((short)outcome));
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).AsTask());
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask SaveSuggestionAsync(string tenant, ContentSuggestion suggestion, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ContentStoreRules.Validate(suggestion, nameof(suggestion));
        return new ValueTask(_retry.RunWriteAsync(async (_, ct) =>
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await _timeouts.BeginAsync(conn, ct).ConfigureAwait(false);
            ContentSuggestionStatus? before = null;
            if (RecordsDecisions)
            {
                await using var find = new NpgsqlCommand($"SELECT status FROM {_schema}.content_suggestion WHERE tenant = $1 AND id = $2 FOR UPDATE", conn, tx);
                find.Parameters.Add(Text(tenant));
                find.Parameters.Add(Text(suggestion.Id));
                if (await find.ExecuteScalarAsync(ct).ConfigureAwait(false) is short status)
                {
                    before = (ContentSuggestionStatus)status;
                }
            }

            await using (var cmd = new NpgsqlCommand($"""
                INSERT INTO {_schema}.content_suggestion (tenant, id, rep, text, suggested_ticks, suggested_offset, deal_id, segment, item_id, status)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT (tenant, id) DO UPDATE SET rep = EXCLUDED.rep, text = EXCLUDED.text, suggested_ticks = EXCLUDED.suggested_ticks,
                    suggested_offset = EXCLUDED.suggested_offset, deal_id = EXCLUDED.deal_id, segment = EXCLUDED.segment,
                    item_id = EXCLUDED.item_id, status = EXCLUDED.status
                """, conn, tx))
            {
                var p = cmd.Parameters;
                p.Add(Text(tenant));
                p.Add(Text(suggestion.Id));
                p.Add(Text(suggestion.Rep.Value));
                p.Add(Text(suggestion.Text));
                AddInstant(p, suggestion.SuggestedAt);
                p.Add(Text(suggestion.DealId));
                p.Add(Text(suggestion.Segment?.Value));
                p.Add(Text(suggestion.ItemId));
                p.Add(Small((short)suggestion.Status));
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            if (RecordsDecisions)
            {
                await RecordSuggestionChangesAsync(conn, tx, tenant, suggestion, before, ct).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).AsTask());
    }

    /// <summary>
    /// Records a suggestion's changes as decisions: <see cref="ContentChangeKind.Suggested"/> when it is new, and
    /// <see cref="ContentChangeKind.Drafted"/> when it became drafted, at the instant (and revision) its item was created or revised.
    /// </summary>
    private async Task RecordSuggestionChangesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string tenant, ContentSuggestion suggestion, ContentSuggestionStatus? before, CancellationToken ct)
    {
        await using var record = new NpgsqlBatch(conn, tx);
        if (before is null)
        {
            var suggested = new AlignmentDecision.ContentChanged(new ContentChange(tenant, ContentChangeKind.Suggested, suggestion.SuggestedAt)
            {
                ItemId = suggestion.Status == ContentSuggestionStatus.Drafted ? null : suggestion.ItemId,
                SuggestionId = suggestion.Id, By = suggestion.Rep.Value, Reason = suggestion.Text,
            });
            record.BatchCommands.Add(PostgreSqlDecisionOutbox.Insert(_schema, suggested.Change.Key, suggested));
        }

        if (suggestion.Status == ContentSuggestionStatus.Drafted && before != ContentSuggestionStatus.Drafted && suggestion.ItemId is { } item)
        {
            await using var draft = new NpgsqlCommand($"""
                SELECT revision, at_ticks, at_offset, by FROM {_schema}.content_history
                WHERE tenant = $1 AND item_id = $2 AND kind IN ({(short)CollateralEventKind.Created}, {(short)CollateralEventKind.Revised})
                ORDER BY seq DESC LIMIT 1
                """, conn, tx);
            draft.Parameters.Add(Text(tenant));
            draft.Parameters.Add(Text(item));
            await using var reader = await draft.ExecuteReaderAsync(ct).ConfigureAwait(false);
            if (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var at = Instant(reader.GetInt64(1), reader.GetInt16(2));
                var drafted = new AlignmentDecision.ContentChanged(new ContentChange(tenant, ContentChangeKind.Drafted, at)
                {
                    ItemId = item, Revision = reader.GetInt32(0), SuggestionId = suggestion.Id, By = reader.IsDBNull(3) ? null : reader.GetString(3),
                });
                record.BatchCommands.Add(PostgreSqlDecisionOutbox.Insert(_schema, drafted.Change.Key, drafted));
            }
        }

        if (record.BatchCommands.Count > 0)
        {
            await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    /// <exception cref="NpgsqlException">The database failed after the retries.</exception>
    public ValueTask<ContentSnapshot> ReadAsync(string tenant, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        return _retry.RunAsync(async ct =>
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct).ConfigureAwait(false);
            var history = new Dictionary<string, ImmutableArray<CollateralHistoryEntry>.Builder>(StringComparer.Ordinal);
            await using (var cmd = new NpgsqlCommand($"""
                SELECT item_id, kind, revision, at_ticks, at_offset, by, reason FROM {_schema}.content_history
                WHERE tenant = $1 ORDER BY item_id COLLATE "C", seq
                """, conn, tx))
            {
                cmd.Parameters.Add(Text(tenant));
                await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    string id = r.GetString(0);
                    if (!history.TryGetValue(id, out var b))
                    {
                        history[id] = b = ImmutableArray.CreateBuilder<CollateralHistoryEntry>();
                    }

                    b.Add(new CollateralHistoryEntry((CollateralEventKind)r.GetInt16(1), r.GetInt32(2), Instant(r.GetInt64(3), r.GetInt16(4)),
                        r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)));
                }
            }

            var items = ImmutableArray.CreateBuilder<CollateralItem>();
            await using (var cmd = new NpgsqlCommand($"""
                SELECT id, title, owner, kind, location, segments, revision, created_ticks, created_offset, reviewed_ticks, reviewed_offset,
                    expires_ticks, expires_offset, status, reviewed_by, approved_ticks, approved_offset, rejection_reason
                FROM {_schema}.content_item WHERE tenant = $1 ORDER BY id COLLATE "C"
                """, conn, tx))
            {
                cmd.Parameters.Add(Text(tenant));
                await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    string id = r.GetString(0);
                    items.Add(new CollateralItem
                    {
                        Id = id,
                        Title = r.GetString(1),
                        Owner = r.GetString(2),
                        Kind = r.IsDBNull(3) ? null : r.GetString(3),
                        Location = r.IsDBNull(4) ? null : new Uri(r.GetString(4), UriKind.RelativeOrAbsolute),
                        Segments = [.. r.GetFieldValue<string[]>(5).Select(s => new SegmentId(s))],
                        Revision = r.GetInt32(6),
                        CreatedAt = Instant(r.GetInt64(7), r.GetInt16(8)),
                        LastReviewedAt = Instant(r.GetInt64(9), r.GetInt16(10)),
                        ExpiresAt = Instant(r.GetInt64(11), r.GetInt16(12)),
                        Status = (CollateralStatus)r.GetInt16(13),
                        ReviewedBy = r.IsDBNull(14) ? null : r.GetString(14),
                        ApprovedAt = r.IsDBNull(15) ? null : Instant(r.GetInt64(15), r.GetInt16(16)),
                        RejectionReason = r.IsDBNull(17) ? null : r.GetString(17),
                        History = history.TryGetValue(id, out var b) ? b.ToImmutable() : [],
                    });
                }
            }

            var usages = ImmutableArray.CreateBuilder<CollateralUsage>();
            await using (var cmd = new NpgsqlCommand($"""
                SELECT item_id, rep, deal_id, helpful, rating, outcome, used_ticks, used_offset FROM {_schema}.content_usage
                WHERE tenant = $1 ORDER BY seq
                """, conn, tx))
            {
                cmd.Parameters.Add(Text(tenant));
                await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    usages.Add(new CollateralUsage(r.GetString(0), new RepId(r.GetString(1)), r.GetString(2))
                    {
                        Helpful = r.IsDBNull(3) ? null : r.GetBoolean(3),
                        Rating = r.IsDBNull(4) ? null : r.GetInt16(4),
                        Outcome = (DealOutcome)r.GetInt16(5),
                        UsedAt = r.IsDBNull(6) ? null : Instant(r.GetInt64(6), r.GetInt16(7)),
                    });
                }
            }

            var deals = ImmutableArray.CreateBuilder<KeyValuePair<string, DealOutcome>>();
            await using (var cmd = new NpgsqlCommand($"SELECT deal_id, outcome FROM {_schema}.content_deal WHERE tenant = $1 ORDER BY deal_id COLLATE \"C\"", conn, tx))
            {
                cmd.Parameters.Add(Text(tenant));
                await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    deals.Add(new(r.GetString(0), (DealOutcome)r.GetInt16(1)));
                }
            }

            var suggestions = ImmutableArray.CreateBuilder<ContentSuggestion>();
            await using (var cmd = new NpgsqlCommand($"""
                SELECT id, rep, text, suggested_ticks, suggested_offset, deal_id, segment, item_id, status FROM {_schema}.content_suggestion
                WHERE tenant = $1 ORDER BY id COLLATE "C"
                """, conn, tx))
            {
                cmd.Parameters.Add(Text(tenant));
                await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    suggestions.Add(new ContentSuggestion(r.GetString(0), new RepId(r.GetString(1)), r.GetString(2), Instant(r.GetInt64(3), r.GetInt16(4)))
                    {
                        DealId = r.IsDBNull(5) ? null : r.GetString(5),
                        Segment = r.IsDBNull(6) ? null : new SegmentId(r.GetString(6)),
                        ItemId = r.IsDBNull(7) ? null : r.GetString(7),
                        Status = (ContentSuggestionStatus)r.GetInt16(8),
                    });
                }
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            return new ContentSnapshot(items.ToImmutable(), usages.ToImmutable(), deals.ToImmutable(), suggestions.ToImmutable());
        }, cancellationToken);
    }

    private static void AddInstant(NpgsqlParameterCollection p, DateTimeOffset? at)
    {
        p.Add(new NpgsqlParameter { Value = at is { } a ? a.UtcTicks : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        p.Add(new NpgsqlParameter { Value = at is { } b ? (short)b.TotalOffsetMinutes : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
    }

    private static DateTimeOffset Instant(long utcTicks, short offsetMinutes)
    {
        var offset = TimeSpan.FromMinutes(offsetMinutes);
        return new DateTimeOffset(utcTicks + offset.Ticks, offset);
    }

    private static NpgsqlParameter Small(short value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Smallint };

    private static NpgsqlParameter Text(string? value) => new() { Value = value is null ? DBNull.Value : value, NpgsqlDbType = NpgsqlDbType.Text };
}
