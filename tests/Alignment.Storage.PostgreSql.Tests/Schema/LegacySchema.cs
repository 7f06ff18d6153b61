using Npgsql;

namespace Alignment.Storage.PostgreSql.Tests.Schema;

/// <summary>
/// The schema as the releases before schema versions created it: each store's <c>MigrateAsync</c> script copied verbatim
/// (commit 42275a3), run the way <c>SchemaName.MigrateAsync</c> ran it (one transaction under the schema's advisory lock),
/// with no version table. Never update these scripts: they are what databases in the field look like.
/// </summary>
internal static class LegacySchema
{
    /// <summary>Creates the tables of all four stores as the previous release did.</summary>
    public static async Task CreateAsync(NpgsqlDataSource dataSource, string schema)
    {
        long lockKey = new PostgreSqlRoutingStateStore(dataSource, schema).LockKey;
        foreach (string sql in new[] { Routing(schema, lockKey), Nurture(schema), Campaign(schema), Lifecycle(schema) })
        {
            await using var conn = await dataSource.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('alignment.schema:' || $1))", conn, tx))
            {
                lockCmd.Parameters.Add(new NpgsqlParameter { Value = schema });
                await lockCmd.ExecuteNonQueryAsync();
            }

            await using (var cmd = new NpgsqlCommand(sql, conn, tx))
            {
                await cmd.ExecuteNonQueryAsync();
            }

            await tx.CommitAsync();
        }
    }

    private static string Routing(string s, long lockKey) => $"""
            SELECT pg_advisory_xact_lock({lockKey});
            CREATE SCHEMA IF NOT EXISTS {s};
            CREATE TABLE IF NOT EXISTS {s}.handoff_assignment (
                lead_id text PRIMARY KEY, epoch int NOT NULL, policy_id text NOT NULL, rule_id text NOT NULL, rep_id text NULL, queue text NULL,
                explanation text NOT NULL, decided_at timestamptz NOT NULL, status smallint NOT NULL, phase smallint NOT NULL, qualification boolean NOT NULL,
                sla_due_at timestamptz NULL, reassignments int NOT NULL, escalated boolean NOT NULL, first_touch_at timestamptz NULL, closed_at timestamptz NULL,
                rejection smallint NULL, note text NULL, f_country text NULL, f_region text NULL, f_language text NULL, f_segment text NULL, f_source text NULL,
                f_account text NULL, f_domain text NULL, f_score numeric NOT NULL, f_grade smallint NOT NULL, f_state smallint NOT NULL,
                CHECK ((rep_id IS NULL) <> (queue IS NULL)));
            CREATE TABLE IF NOT EXISTS {s}.handoff_assignment_history (LIKE {s}.handoff_assignment INCLUDING DEFAULTS, PRIMARY KEY (lead_id, epoch));
            CREATE INDEX IF NOT EXISTS handoff_assignment_sla ON {s}.handoff_assignment (sla_due_at) WHERE status = 1;
            CREATE INDEX IF NOT EXISTS handoff_assignment_rep ON {s}.handoff_assignment (rep_id) WHERE status IN (1, 2);
            CREATE TABLE IF NOT EXISTS {s}.handoff_rep_load (
                rep_id text PRIMARY KEY, open_count int NOT NULL CHECK (open_count >= 0), day_key int NOT NULL, day_count int NOT NULL, assigned_total bigint NOT NULL);
            CREATE TABLE IF NOT EXISTS {s}.handoff_pool (
                pool_key text PRIMARY KEY, last_rep_id text NULL, member_ids text[] NOT NULL, weights bigint[] NOT NULL);
        """;

    private static string Nurture(string s) => $"""
            SELECT pg_advisory_xact_lock(hashtext('alignment.nurture:{s}'));
            CREATE SCHEMA IF NOT EXISTS {s};
            CREATE TABLE IF NOT EXISTS {s}.nurture_enrolment (
                lead_id text PRIMARY KEY, sequence int NOT NULL, track_id text NOT NULL, reason smallint NOT NULL, segment text NULL, campaign text NULL,
                enrolled_at timestamptz NOT NULL, policy_version text NOT NULL, next_step int NOT NULL, next_due_at timestamptz NULL,
                status smallint NOT NULL, status_reason text NULL, ended_at timestamptz NULL, version int NOT NULL,
                lease_owner text NULL, lease_until timestamptz NULL,
                due_key timestamptz GENERATED ALWAYS AS (CASE WHEN status <> 2 THEN GREATEST(next_due_at, lease_until) END) STORED);
            CREATE INDEX IF NOT EXISTS nurture_enrolment_due ON {s}.nurture_enrolment (due_key) WHERE due_key IS NOT NULL;
            CREATE TABLE IF NOT EXISTS {s}.nurture_enrolment_history (
                lead_id text NOT NULL, sequence int NOT NULL, track_id text NOT NULL, reason smallint NOT NULL, segment text NULL, campaign text NULL,
                enrolled_at timestamptz NOT NULL, policy_version text NOT NULL, next_step int NOT NULL, next_due_at timestamptz NULL,
                status smallint NOT NULL, status_reason text NULL, ended_at timestamptz NULL, version int NOT NULL,
                lease_owner text NULL, lease_until timestamptz NULL, PRIMARY KEY (lead_id, sequence));
            CREATE TABLE IF NOT EXISTS {s}.nurture_sent_step (
                enrolment_id text NOT NULL, step_index int NOT NULL, lead_id text NOT NULL, track_id text NOT NULL, step_id text NOT NULL,
                kind smallint NOT NULL, content_id text NULL, sent_at timestamptz NOT NULL, explanation text NOT NULL,
                PRIMARY KEY (enrolment_id, step_index));
            CREATE INDEX IF NOT EXISTS nurture_sent_step_lead ON {s}.nurture_sent_step (lead_id, sent_at);
        """;

    private static string Campaign(string s) => $"""
            SELECT pg_advisory_xact_lock(hashtext('alignment.campaign:{s}'));
            CREATE SCHEMA IF NOT EXISTS {s};
            CREATE TABLE IF NOT EXISTS {s}.campaign (
                campaign text PRIMARY KEY, closed_at timestamptz NOT NULL, closed_at_ticks bigint NOT NULL, closed_offset smallint NOT NULL);
            CREATE TABLE IF NOT EXISTS {s}.campaign_member (
                campaign text NOT NULL, lead_id text NOT NULL, lead_key bytea NOT NULL, status smallint NOT NULL,
                version int NOT NULL CHECK (version >= 1), segment text NULL,
                account_id text NULL, country text NULL, region text NULL, domain text NULL, language text NULL, source text NULL,
                no_show_enrolment_id text NULL,
                follow_up_due_at timestamptz NULL, follow_up_due_ticks bigint NULL, follow_up_due_offset smallint NULL,
                followed_up_at timestamptz NULL, followed_up_ticks bigint NULL, followed_up_offset smallint NULL,
                closed_at timestamptz NULL, closed_ticks bigint NULL, closed_offset smallint NULL, no_show_skipped text NULL,
                PRIMARY KEY (campaign, lead_id),
                CHECK ((closed_ticks IS NULL) = (closed_offset IS NULL)),
                CHECK ((follow_up_due_ticks IS NULL) = (follow_up_due_offset IS NULL)),
                CHECK ((followed_up_ticks IS NULL) = (followed_up_offset IS NULL)));
            CREATE INDEX IF NOT EXISTS campaign_member_order ON {s}.campaign_member (campaign, lead_key);
        """;

    private static string Lifecycle(string s) => $"""
            SELECT pg_advisory_xact_lock(hashtext('alignment.lifecycle:{s}'));
            CREATE SCHEMA IF NOT EXISTS {s};
            CREATE TABLE IF NOT EXISTS {s}.lead_lifecycle (
                lead_id text PRIMARY KEY, stage smallint NOT NULL, version int NOT NULL CHECK (version >= 0), updated_at timestamptz NULL);
            CREATE INDEX IF NOT EXISTS lead_lifecycle_stage ON {s}.lead_lifecycle (stage);
            CREATE TABLE IF NOT EXISTS {s}.lead_lifecycle_transition (
                lead_id text NOT NULL REFERENCES {s}.lead_lifecycle (lead_id) ON DELETE CASCADE, seq int NOT NULL,
                from_stage smallint NOT NULL, to_stage smallint NOT NULL, at timestamptz NOT NULL, at_ticks bigint NOT NULL,
                offset_minutes smallint NOT NULL, actor smallint NOT NULL, reason text NOT NULL, model_version text NULL,
                PRIMARY KEY (lead_id, seq));
            CREATE INDEX IF NOT EXISTS lead_lifecycle_transition_to ON {s}.lead_lifecycle_transition (to_stage, at);
        """;
}
