using System.Runtime.CompilerServices;
using System.Text;
using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Policies.Nurture.Campaigns;
using Alignment.Segmentation;
using Alignment.Storage.PostgreSql.Decisions;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql.Nurture;

/// <summary>
/// An <see cref="ICampaignStore"/> on PostgreSQL, so a host that restarts mid-campaign (or several hosts running one campaign)
/// still follows up every no-show and attendee. Each member is one row keyed by (campaign, lead) and carrying a version: an add
/// inserts only when the pair is new, and an update changes the row only while it is still at the version the caller read, so
/// two hosts never overwrite each other's change. Each closed campaign is one row, written once: every later close gets the first
/// close time back.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe. Call <see cref="MigrateAsync"/> once at start-up (it is idempotent). Times keep their 100 ns ticks and their
/// offset exactly (the <c>*_at</c> <c>timestamptz</c> columns, at microsecond precision, are there for queries).
/// </para>
/// <para>
/// Of the member's <see cref="Lead"/>, the store keeps the id and the facts that routing and nurture read: the account id, the
/// company's country, region and domain, the person's language and the source. A member read back carries a lead with exactly
/// those (a missing fact stays <see langword="null"/>); no other personal data is stored.
/// </para>
/// <para>
/// Members are listed in ordinal (UTF-16 code unit) order of the lead id, like <see cref="InMemoryCampaignStore"/>: each row keeps
/// its lead id's UTF-16 big-endian bytes as a sort key, because even the <c>"C"</c> collation (UTF-8 byte order) puts characters
/// beyond U+FFFF after U+E000–U+FFFF, where ordinal order puts them before.
/// </para>
/// </remarks>
public sealed class PostgreSqlCampaignStore : ICampaignStore
{
    private const string Columns = "lead_id, status, version, segment, account_id, country, region, domain, language, source, no_show_enrolment_id, follow_up_due_ticks, follow_up_due_offset, followed_up_ticks, followed_up_offset, campaign, closed_ticks, closed_offset, no_show_skipped, pre_event_due_ticks, pre_event_due_offset, pre_event_owner, pre_event_called_ticks, pre_event_called_offset, interests";
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly StoreTimeouts _timeouts;
    private readonly StoreRetry _retry;

    /// <summary>Creates the store.</summary>
    /// <param name="dataSource">The connection source (the host owns and disposes it).</param>
    /// <param name="schema">The schema the tables live in.</param>
    /// <param name="options">The timeouts of its write transactions; <see langword="null"/> for the defaults (read once, here).</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is null.</exception>
    /// <param name="recordDecisions">
    /// <see langword="true"/> to write the <see cref="AlignmentDecision.CampaignChanged"/> handed to each add and update into the
    /// schema's <c>decision_outbox</c>, in the change's transaction (<see cref="RecordsDecisions"/>), for a
    /// <see cref="DecisionRelay"/> over a <see cref="PostgreSqlDecisionOutbox"/> to deliver.
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="schema"/> is not a plain lower-case identifier, or an option is out of range.</exception>
    public PostgreSqlCampaignStore(NpgsqlDataSource dataSource, string schema = "alignment", PostgreSqlStoreOptions? options = null, bool recordDecisions = false)
    {
        RecordsDecisions = recordDecisions;
        ArgumentNullException.ThrowIfNull(dataSource);
        SchemaName.Validate(schema, nameof(schema));
        _dataSource = dataSource;
        _schema = schema;
        _timeouts = new StoreTimeouts(options, nameof(options));
        _retry = new StoreRetry(options, store: nameof(PostgreSqlCampaignStore));
    }

    /// <summary>Test seam: the retry pipeline every call of the store runs through.</summary>
    internal StoreRetry Retry => _retry;

    /// <inheritdoc />
    public bool RecordsDecisions { get; }

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
    /// <remarks>
    /// A retry after a commit whose reply was lost recognises the member the earlier attempt added (the lead is a member with the
    /// facts and segment this call added, whatever changed in its status since) and returns <see langword="true"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="member"/> is null.</exception>
    /// <exception cref="NpgsqlException">The database failed after the retries. Nothing was saved, unless the connection was lost during the commit itself.</exception>
    public ValueTask<bool> TryAddMemberAsync(CampaignMember member, AlignmentDecision? decision = null, CancellationToken cancellationToken = default) =>
        _retry.RunWriteAsync((write, ct) => TryAddMemberOnceAsync(member, decision, write, ct), cancellationToken);

    private async ValueTask<bool> TryAddMemberOnceAsync(CampaignMember member, AlignmentDecision? decision, StoreWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        cancellationToken.ThrowIfCancellationRequested();
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var sql = $"""
            INSERT INTO {_schema}.campaign_member (campaign, lead_id, lead_key, status, version, segment, account_id, country, region, domain,
                language, source, no_show_enrolment_id, follow_up_due_at, follow_up_due_ticks, follow_up_due_offset, followed_up_at,
                followed_up_ticks, followed_up_offset, closed_at, closed_ticks, closed_offset, no_show_skipped, pre_event_due_at, pre_event_due_ticks,
                pre_event_due_offset, pre_event_owner, pre_event_called_at, pre_event_called_ticks, pre_event_called_offset, interests)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31)
            ON CONFLICT (campaign, lead_id) DO NOTHING
            """;
        bool added = await ChangeAsync(conn, sql, 31, p => Bind(p, member, version: 1), decision, write, cancellationToken).ConfigureAwait(false);
        if (added || write.CommitInDoubt is null)
        {
            return added;
        }

        // What an add sets and later updates keep (they change the status, the follow-up and the close).
        await using var own = new NpgsqlCommand(
            $"""
            SELECT EXISTS (SELECT 1 FROM {_schema}.campaign_member WHERE campaign = $1 AND lead_id = $2 AND segment IS NOT DISTINCT FROM $6
                AND account_id IS NOT DISTINCT FROM $7 AND country IS NOT DISTINCT FROM $8 AND region IS NOT DISTINCT FROM $9
                AND domain IS NOT DISTINCT FROM $10 AND language IS NOT DISTINCT FROM $11 AND source IS NOT DISTINCT FROM $12)
            """,
            conn);
        Bind(own.Parameters, member, version: 1);
        return (bool)(await own.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="campaign"/> is null.</exception>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public ValueTask<CampaignMember?> FindMemberAsync(string campaign, LeadId leadId, CancellationToken cancellationToken = default) =>
        _retry.RunAsync(ct => FindMemberOnceAsync(campaign, leadId, ct), cancellationToken);

    private async ValueTask<CampaignMember?> FindMemberOnceAsync(string campaign, LeadId leadId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        cancellationToken.ThrowIfCancellationRequested();
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM {_schema}.campaign_member WHERE campaign = $1 AND lead_id = $2", conn);
        cmd.Parameters.Add(Text(campaign));
        cmd.Parameters.Add(Text(leadId.Value));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// A retry after a commit whose reply was lost recognises the change the earlier attempt saved (the member is at version
    /// <paramref name="expectedVersion"/> + 1 with exactly this member's content) and returns <see langword="true"/>. It returns
    /// <see langword="false"/> when another writer's change holds that version; when the member has moved past it, which write
    /// made that version is unknown, and the call throws instead.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="member"/> is null.</exception>
    /// <exception cref="NpgsqlException">The database failed after the retries (nothing was saved, unless the connection was lost during the commit itself); or the connection was lost during the commit and the member changed again before the retry could tell whether this call's change was saved (the message names the store, the campaign and the lead; read the member again).</exception>
    public ValueTask<bool> TryUpdateMemberAsync(CampaignMember member, int expectedVersion, AlignmentDecision? decision = null, CancellationToken cancellationToken = default) =>
        _retry.RunWriteAsync((write, ct) => TryUpdateMemberOnceAsync(member, expectedVersion, decision, write, ct), cancellationToken);

    private async ValueTask<bool> TryUpdateMemberOnceAsync(CampaignMember member, int expectedVersion, AlignmentDecision? decision, StoreWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(member);
        cancellationToken.ThrowIfCancellationRequested();
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // The update locks the row; under READ COMMITTED a writer that waited for another re-checks the version against the
        // committed row and updates nothing, so exactly one writer wins each version.
        var sql = $"""
            UPDATE {_schema}.campaign_member SET lead_key = $3, status = $4, version = $5, segment = $6, account_id = $7, country = $8,
                region = $9, domain = $10, language = $11, source = $12, no_show_enrolment_id = $13, follow_up_due_at = $14,
                follow_up_due_ticks = $15, follow_up_due_offset = $16, followed_up_at = $17, followed_up_ticks = $18, followed_up_offset = $19,
                closed_at = $20, closed_ticks = $21, closed_offset = $22, no_show_skipped = $23, pre_event_due_at = $24, pre_event_due_ticks = $25,
                pre_event_due_offset = $26, pre_event_owner = $27, pre_event_called_at = $28, pre_event_called_ticks = $29, pre_event_called_offset = $30,
                interests = $31
            WHERE campaign = $1 AND lead_id = $2 AND version = $32
            """;
        void Parameters(NpgsqlParameterCollection p)
        {
            Bind(p, member, version: expectedVersion + 1);
            p.Add(new NpgsqlParameter { Value = expectedVersion, NpgsqlDbType = NpgsqlDbType.Integer });
        }

        bool updated = await ChangeAsync(conn, sql, 32, Parameters, decision, write, cancellationToken).ConfigureAwait(false);
        if (updated || write.CommitInDoubt is null)
        {
            return updated;
        }

        await using var own = new NpgsqlCommand(
            $"""
            SELECT version, status = $4 AND segment IS NOT DISTINCT FROM $6 AND account_id IS NOT DISTINCT FROM $7 AND country IS NOT DISTINCT FROM $8
                AND region IS NOT DISTINCT FROM $9 AND domain IS NOT DISTINCT FROM $10 AND language IS NOT DISTINCT FROM $11 AND source IS NOT DISTINCT FROM $12
                AND no_show_enrolment_id IS NOT DISTINCT FROM $13 AND follow_up_due_ticks IS NOT DISTINCT FROM $15 AND follow_up_due_offset IS NOT DISTINCT FROM $16
                AND followed_up_ticks IS NOT DISTINCT FROM $18 AND followed_up_offset IS NOT DISTINCT FROM $19 AND closed_ticks IS NOT DISTINCT FROM $21
                AND closed_offset IS NOT DISTINCT FROM $22 AND no_show_skipped IS NOT DISTINCT FROM $23 AND pre_event_due_ticks IS NOT DISTINCT FROM $25
                AND pre_event_due_offset IS NOT DISTINCT FROM $26 AND pre_event_owner IS NOT DISTINCT FROM $27 AND pre_event_called_ticks IS NOT DISTINCT FROM $29
                AND pre_event_called_offset IS NOT DISTINCT FROM $30 AND interests = $31
            FROM {_schema}.campaign_member WHERE campaign = $1 AND lead_id = $2
            """,
            conn);
        Bind(own.Parameters, member, version: expectedVersion + 1);
        await using var reader = await own.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        int version = reader.GetInt32(0);
        if (version > expectedVersion + 1)
        {
            throw write.OutcomeUnknown(
                $"{nameof(PostgreSqlCampaignStore)}.{nameof(TryUpdateMemberAsync)}, campaign '{member.Campaign}', lead {member.Lead.Id}: the connection was lost while committing the member at version {expectedVersion + 1}, " +
                $"and the retry found it at version {version}, so whether this call's change was saved is unknown. Read the member again.");
        }

        return version == expectedVersion + 1 && reader.GetBoolean(1);
    }

    /// <summary>
    /// Runs an add or update of one member (with the store's timeouts, as one transaction) and tells whether it changed the row; when
    /// the store records decisions, the decision is written in the same statement, only if the row changed.
    /// </summary>
    private async ValueTask<bool> ChangeAsync(NpgsqlConnection conn, string statement, int statementParameters, Action<NpgsqlParameterCollection> bind, AlignmentDecision? decision, StoreWrite write, CancellationToken cancellationToken)
    {
        await using var batch = _timeouts.CreateBatch(conn);
        bool recording = decision is not null && RecordsDecisions;
        var cmd = new NpgsqlBatchCommand(recording ? PostgreSqlDecisionOutbox.RecordIfChanged(_schema, statement, statementParameters) : statement);
        bind(cmd.Parameters);
        if (recording)
        {
            PostgreSqlDecisionOutbox.AddParameters(cmd.Parameters, DecisionKeys.For(decision!), decision!);
        }

        return await PostgreSqlDecisionOutbox.RunChangingAsync(batch, cmd, recording, write, cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="campaign"/> is null.</exception>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public async IAsyncEnumerable<CampaignMember> ListMembersAsync(string campaign, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        cancellationToken.ThrowIfCancellationRequested();
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT {Columns} FROM {_schema}.campaign_member WHERE campaign = $1 ORDER BY lead_key", conn);
        cmd.Parameters.Add(Text(campaign));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return Read(reader);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="campaign"/> is null.</exception>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public ValueTask<DateTimeOffset> CloseAsync(string campaign, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        _retry.RunAsync(ct => CloseOnceAsync(campaign, at, ct), cancellationToken);

    private async ValueTask<DateTimeOffset> CloseOnceAsync(string campaign, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        cancellationToken.ThrowIfCancellationRequested();
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // Two statements, not one with a CTE: an insert that meets a row committed by a concurrent close waits for it and does
        // nothing, and only a later statement's snapshot (READ COMMITTED) is sure to see that row.
        await using var batch = _timeouts.CreateBatch(conn);
        var insert = new NpgsqlBatchCommand($"""
            INSERT INTO {_schema}.campaign (campaign, closed_at, closed_at_ticks, closed_offset) VALUES ($1, $2, $3, $4)
            ON CONFLICT (campaign) DO NOTHING
            """);
        insert.Parameters.Add(Text(campaign));
        AddTime(insert.Parameters, at);
        batch.BatchCommands.Add(insert);
        var select = new NpgsqlBatchCommand($"SELECT closed_at_ticks, closed_offset FROM {_schema}.campaign WHERE campaign = $1");
        select.Parameters.Add(Text(campaign));
        batch.BatchCommands.Add(select);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false); // past the timeouts' row
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"Campaign '{campaign}' was neither closed now nor found closed in {_schema}.campaign.");
        }

        return ReadTime(reader, 0)!.Value;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="campaign"/> is null.</exception>
    /// <exception cref="NpgsqlException">The database failed.</exception>
    public ValueTask<DateTimeOffset?> FindClosedAtAsync(string campaign, CancellationToken cancellationToken = default) =>
        _retry.RunAsync(ct => FindClosedAtOnceAsync(campaign, ct), cancellationToken);

    private async ValueTask<DateTimeOffset?> FindClosedAtOnceAsync(string campaign, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        cancellationToken.ThrowIfCancellationRequested();
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT closed_at_ticks, closed_offset FROM {_schema}.campaign WHERE campaign = $1", conn);
        cmd.Parameters.Add(Text(campaign));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadTime(reader, 0) : null;
    }

    /// <summary>Binds $1..$31 of the insert and update statements.</summary>
    private static void Bind(NpgsqlParameterCollection p, CampaignMember m, int version)
    {
        var lead = m.Lead;
        p.Add(Text(m.Campaign));
        p.Add(Text(lead.Id.Value));
        p.Add(new NpgsqlParameter { Value = Encoding.BigEndianUnicode.GetBytes(lead.Id.Value), NpgsqlDbType = NpgsqlDbType.Bytea });
        p.Add(new NpgsqlParameter { Value = (short)m.Status, NpgsqlDbType = NpgsqlDbType.Smallint });
        p.Add(new NpgsqlParameter { Value = version, NpgsqlDbType = NpgsqlDbType.Integer });
        p.Add(Text(m.Segment?.Value));
        p.Add(Text(lead.AccountId?.Value));
        p.Add(Text(lead.Company.Country));
        p.Add(Text(lead.Company.Region));
        p.Add(Text(lead.Company.Domain));
        p.Add(Text(lead.Person.Language));
        p.Add(Text(lead.Source));
        p.Add(Text(m.NoShowEnrolmentId));
        AddTime(p, m.FollowUpDueAt);
        AddTime(p, m.FollowedUpAt);
        AddTime(p, m.ClosedAt);
        p.Add(Text(m.NoShowSkippedReason));
        AddTime(p, m.PreEventCallDueAt);
        p.Add(Text(m.PreEventCallOwner));
        AddTime(p, m.PreEventCalledAt);
        p.Add(new NpgsqlParameter { Value = m.Interests.IsDefault ? Array.Empty<string>() : m.Interests.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
    }

    private static CampaignMember Read(NpgsqlDataReader reader)
    {
        var lead = new Lead(new LeadId(reader.GetString(0)))
        {
            AccountId = reader.IsDBNull(4) ? null : new AccountId(reader.GetString(4)),
            Company = new CompanyProfile { Country = NullableText(reader, 5), Region = NullableText(reader, 6), Domain = NullableText(reader, 7) },
            Person = new PersonProfile { Language = NullableText(reader, 8) },
            Source = NullableText(reader, 9),
        };
        return new CampaignMember(reader.GetString(15), lead)
        {
            Status = (CampaignMemberStatus)reader.GetInt16(1),
            Version = reader.GetInt32(2),
            Segment = reader.IsDBNull(3) ? null : new SegmentId(reader.GetString(3)),
            NoShowEnrolmentId = NullableText(reader, 10),
            FollowUpDueAt = ReadTime(reader, 11),
            FollowedUpAt = ReadTime(reader, 13),
            ClosedAt = ReadTime(reader, 16),
            NoShowSkippedReason = NullableText(reader, 18),
            PreEventCallDueAt = ReadTime(reader, 19),
            PreEventCallOwner = NullableText(reader, 21),
            PreEventCalledAt = ReadTime(reader, 22),
            Interests = [.. reader.GetFieldValue<string[]>(24)],
        };
    }

    private static string? NullableText(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Adds a time as three parameters: UTC <c>timestamptz</c> (for queries), UTC ticks and offset minutes (exact).</summary>
    private static void AddTime(NpgsqlParameterCollection p, DateTimeOffset? value)
    {
        p.Add(new NpgsqlParameter { Value = value is { } v ? v.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter { Value = value is { } t ? t.UtcTicks : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        p.Add(new NpgsqlParameter { Value = value is { } o ? (short)o.TotalOffsetMinutes : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
    }

    /// <summary>Reads a time from its UTC ticks (at <paramref name="ticksOrdinal"/>) and offset minutes (the next column).</summary>
    private static DateTimeOffset? ReadTime(NpgsqlDataReader reader, int ticksOrdinal)
    {
        if (reader.IsDBNull(ticksOrdinal))
        {
            return null;
        }

        var offset = TimeSpan.FromMinutes(reader.GetInt16(ticksOrdinal + 1));
        return new DateTimeOffset(reader.GetInt64(ticksOrdinal) + offset.Ticks, offset);
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };
}
