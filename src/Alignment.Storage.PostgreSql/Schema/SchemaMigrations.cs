namespace Alignment.Storage.PostgreSql;

/// <summary>One step of the schema: applied once, in order, and recorded in <c>alignment_schema_version</c>.</summary>
/// <param name="Version">The version the schema is at once the step is applied (1, 2, …, no gaps).</param>
/// <param name="Description">What the step does, stored with the version.</param>
/// <param name="Sql">The script for a schema name (already validated), run in one transaction.</param>
internal sealed record SchemaMigration(int Version, string Description, Func<string, string> Sql);

/// <summary>
/// The ordered migrations of the Alignment schema. Never edit or reorder a step that has shipped: append a new one. A step
/// should still be written so that it can run on a database that already has its objects (<c>IF NOT EXISTS</c>), because
/// migration 1 meets databases created before there was a version table.
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>The steps, in order; the index of a step is its version minus one.</summary>
    public static readonly IReadOnlyList<SchemaMigration> All =
    [
        new(1, "Tables of the routing, nurture, campaign and lifecycle stores", InitialSql),
        new(2, "Worker leases and score watches (Alignment.Hosting)", WorkerSql),
        new(3, "The decision outbox", OutboxSql),
        new(4, "Score watches keep their crossing instant, the action still owed and its retry time apart from the wake time", ScoreWatchOwedSql),
        new(5, "The model registry: releases, their approvals and the activation history per tenant and kind", ModelRegistrySql),
        new(6, "Each handoff keeps the version and content hash of the routing policy that decided it", HandoffPolicySql),
        new(7, "Nurture enrolments and sent steps record the policy (id, version, content hash) they were made under", NurturePolicyReferenceSql),
        new(8, "Lead documents as the host received them, and the receipts of idempotent ingest requests", LeadDocumentSql),
        new(9, "The champion/challenger ledger: each tenant's attached challenger, and per lead the latest pair of scores and the outcome", ChallengerLedgerSql),
        new(10, "Webhook subscriptions and deliveries (attempts, next attempt, parked state, per-subscription order); idempotency keys claimed before they are answered", WebhookSql),
        new(11, "The champion/challenger ledger again, for a schema that passed version 9 while it was a placeholder (idempotent)", ChallengerLedgerSql),
        new(12, "Campaign members keep the pre-event call: its due time and owner, when the rep called, and the interests heard", PreEventCallSql),
        new(13, "Sales content: collateral items with their history, usages per rep and deal, deal outcomes and reps' suggestions, per tenant", ContentSql),
        new(14, "Decisions not about a lead (sales-content changes): decision_outbox.lead_id may be null", s => $"ALTER TABLE {s}.decision_outbox ALTER COLUMN lead_id DROP NOT NULL;"),
    ];

    /// <summary>
    /// Version 1: exactly the tables and indexes each store's <c>MigrateAsync</c> created before the schema had versions (routing,
    /// nurture, campaign, lifecycle, in that order), so a database created by that code is recognised as version 1.
    /// </summary>
    private static string InitialSql(string s) => $"""
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

    /// <summary>Version 2: the leases that keep one instance on each single-leader job, and the score watches of the decay worker.</summary>
    private static string WorkerSql(string s) => $"""
        CREATE TABLE IF NOT EXISTS {s}.worker_lease (
            name text PRIMARY KEY, holder text NOT NULL, term bigint NOT NULL CHECK (term >= 1), expires_at timestamptz NOT NULL);
        CREATE TABLE IF NOT EXISTS {s}.score_watch (
            lead_id text PRIMARY KEY, state smallint NOT NULL, wake_at timestamptz NOT NULL, wake_ticks bigint NOT NULL,
            wake_offset smallint NOT NULL, version bigint NOT NULL CHECK (version >= 1));
        CREATE INDEX IF NOT EXISTS score_watch_wake ON {s}.score_watch (wake_ticks, lead_id);
        CREATE SEQUENCE IF NOT EXISTS {s}.score_watch_version;
        """;

    /// <summary>
    /// Version 3: the decisions stores write with their state changes, until the relay has delivered them. <c>seq</c> orders them:
    /// it is taken at insert, not at commit, so it is commit order among the routing decisions (one lock) and, for one lead, across
    /// stores as long as that lead's changes do not overlap in time (a route and an enrolment of the same lead committing at the
    /// same moment can be delivered in either order); <c>key</c> is the idempotency key, unique so a retried change records
    /// nothing twice; the partial index finds what is pending without reading what was delivered.
    /// </summary>
    private static string OutboxSql(string s) => $"""
        CREATE TABLE IF NOT EXISTS {s}.decision_outbox (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, key text NOT NULL UNIQUE, lead_id text NOT NULL, kind text NOT NULL,
            payload jsonb NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(), delivered_at timestamptz NULL);
        CREATE INDEX IF NOT EXISTS decision_outbox_pending ON {s}.decision_outbox (seq) WHERE delivered_at IS NULL;
        """;

    /// <summary>
    /// Version 4: a score watch keeps the instant of its next crossing (<c>crossing_*</c>), the state before the crossings whose
    /// action is still owed (<c>owed_from</c>) and when to retry (<c>retry_*</c>) apart from <c>wake_*</c>, which stays the indexed
    /// time the worker wakes at (the retry time when set, otherwise the crossing). Rows of version 3 had only a wake time, which
    /// was their crossing: it is copied.
    /// </summary>
    private static string ScoreWatchOwedSql(string s) => $"""
        ALTER TABLE {s}.score_watch
            ADD COLUMN IF NOT EXISTS crossing_ticks bigint NULL, ADD COLUMN IF NOT EXISTS crossing_offset smallint NULL,
            ADD COLUMN IF NOT EXISTS owed_from smallint NULL,
            ADD COLUMN IF NOT EXISTS retry_ticks bigint NULL, ADD COLUMN IF NOT EXISTS retry_offset smallint NULL;
        UPDATE {s}.score_watch SET crossing_ticks = wake_ticks, crossing_offset = wake_offset
            WHERE crossing_ticks IS NULL AND retry_ticks IS NULL;
        """;

    /// <summary>
    /// Version 5: the model registry (<c>PostgreSqlModelRegistry</c>). A release is one row of <c>model_release</c> (its current
    /// content and hash); its approvals, valid or void, are rows of <c>model_release_approval</c>, numbered in the order given and
    /// only ever appended. Each activation or rollback is one row of <c>model_activation</c>, numbered per tenant and kind by its
    /// primary key, with a snapshot of the content it activated and how many approvals the release had then.
    /// </summary>
    private static string ModelRegistrySql(string s) => $"""
        CREATE TABLE IF NOT EXISTS {s}.model_release (
            tenant text NOT NULL, kind smallint NOT NULL, id text NOT NULL, version text NOT NULL,
            content text NOT NULL, content_hash text NOT NULL, PRIMARY KEY (tenant, kind, id, version));
        CREATE TABLE IF NOT EXISTS {s}.model_release_approval (
            tenant text NOT NULL, kind smallint NOT NULL, id text NOT NULL, version text NOT NULL, seq int NOT NULL CHECK (seq >= 0),
            approved_by text NOT NULL, side smallint NOT NULL, approved_at timestamptz NOT NULL, approved_ticks bigint NOT NULL,
            approved_offset smallint NOT NULL, content_hash text NOT NULL, comment text NULL,
            PRIMARY KEY (tenant, kind, id, version, seq),
            FOREIGN KEY (tenant, kind, id, version) REFERENCES {s}.model_release (tenant, kind, id, version) ON DELETE CASCADE);
        CREATE TABLE IF NOT EXISTS {s}.model_activation (
            tenant text NOT NULL, kind smallint NOT NULL, sequence bigint NOT NULL CHECK (sequence >= 1), id text NOT NULL, version text NOT NULL,
            content text NOT NULL, content_hash text NOT NULL, approval_count int NOT NULL CHECK (approval_count >= 0),
            activated_by text NOT NULL, at timestamptz NOT NULL, at_ticks bigint NOT NULL, at_offset smallint NOT NULL,
            reason text NOT NULL, is_rollback boolean NOT NULL,
            PRIMARY KEY (tenant, kind, sequence),
            FOREIGN KEY (tenant, kind, id, version) REFERENCES {s}.model_release (tenant, kind, id, version));
        """;

    /// <summary>
    /// Version 6: a handoff (current and history) keeps the release version and content hash of the routing policy that decided it
    /// (<c>HandoffDecision.Policy</c>; its id is <c>policy_id</c>). Rows written before have neither: their decisions name no policy.
    /// </summary>
    private static string HandoffPolicySql(string s) => $"""
        ALTER TABLE {s}.handoff_assignment ADD COLUMN IF NOT EXISTS policy_version text NULL, ADD COLUMN IF NOT EXISTS policy_hash text NULL;
        ALTER TABLE {s}.handoff_assignment_history ADD COLUMN IF NOT EXISTS policy_version text NULL, ADD COLUMN IF NOT EXISTS policy_hash text NULL;
        """;

    /// <summary>
    /// Version 7: an enrolment (live and archived) keeps the id and content hash of the nurture policy that chose its track (its version
    /// is <c>policy_version</c>), and a sent step the id, version and hash of the policy it was carried out under. Null for rows written
    /// before this version.
    /// </summary>
    private static string NurturePolicyReferenceSql(string s) => $"""
        ALTER TABLE {s}.nurture_enrolment ADD COLUMN IF NOT EXISTS policy_id text NULL, ADD COLUMN IF NOT EXISTS policy_hash text NULL;
        ALTER TABLE {s}.nurture_enrolment_history ADD COLUMN IF NOT EXISTS policy_id text NULL, ADD COLUMN IF NOT EXISTS policy_hash text NULL;
        ALTER TABLE {s}.nurture_sent_step ADD COLUMN IF NOT EXISTS policy_id text NULL, ADD COLUMN IF NOT EXISTS policy_version text NULL,
            ADD COLUMN IF NOT EXISTS policy_hash text NULL;
        """;

    /// <summary>
    /// Version 8: the leads a host received (<c>PostgreSqlLeadDocumentStore</c>): one row per lead in <c>lead_document</c>, its
    /// JSON kept as text exactly as given, with the version its saves check; and one row per answered idempotency key in
    /// <c>ingest_receipt</c>, written in the transaction of the document it came with. Times keep their ticks and offset
    /// (<c>*_ticks</c>, <c>*_offset</c>) beside a <c>timestamptz</c> for queries.
    /// </summary>
    private static string LeadDocumentSql(string s) => $"""
        CREATE TABLE IF NOT EXISTS {s}.lead_document (
            lead_id text PRIMARY KEY, version bigint NOT NULL CHECK (version >= 1), document text NOT NULL,
            updated_at timestamptz NOT NULL, updated_ticks bigint NOT NULL, updated_offset smallint NOT NULL);
        CREATE TABLE IF NOT EXISTS {s}.ingest_receipt (
            idempotency_key text PRIMARY KEY, lead_id text NOT NULL, request_hash text NOT NULL, response text NOT NULL,
            at timestamptz NOT NULL, at_ticks bigint NOT NULL, at_offset smallint NOT NULL);
        CREATE INDEX IF NOT EXISTS ingest_receipt_lead ON {s}.ingest_receipt (lead_id);
        """;

    /// <summary>
    /// Version 9: the champion/challenger ledger (<c>PostgreSqlChallengerLedger</c>). One row per tenant in <c>challenger_attachment</c>
    /// (the challenger's and the champion's release keys, the champion's activation sequence, who attached it and when); one row per
    /// lead in <c>challenger_lead</c>: the latest pair of scores (total and fit in hundredths, grade, state; null in a row that so
    /// far only has an outcome, <c>has_pair</c> false), when it was scored, and the outcome (0 open) with its closing time. The
    /// leads go with their tenant's attachment (<c>ON DELETE CASCADE</c>).
    /// </summary>
    private static string ChallengerLedgerSql(string s) => $"""
        CREATE TABLE IF NOT EXISTS {s}.challenger_attachment (
            tenant text PRIMARY KEY, challenger_kind smallint NOT NULL, challenger_id text NOT NULL, challenger_version text NOT NULL,
            champion_kind smallint NOT NULL, champion_id text NOT NULL, champion_version text NOT NULL,
            champion_sequence bigint NOT NULL CHECK (champion_sequence >= 0),
            attached_at timestamptz NOT NULL, attached_ticks bigint NOT NULL, attached_offset smallint NOT NULL, attached_by text NOT NULL);
        CREATE TABLE IF NOT EXISTS {s}.challenger_lead (
            tenant text NOT NULL REFERENCES {s}.challenger_attachment (tenant) ON DELETE CASCADE, lead_id text NOT NULL,
            has_pair boolean NOT NULL,
            champion_total bigint NULL, champion_fit bigint NULL, champion_grade smallint NULL, champion_state smallint NULL,
            challenger_total bigint NULL, challenger_fit bigint NULL, challenger_grade smallint NULL, challenger_state smallint NULL,
            scored_ticks bigint NULL, scored_offset smallint NULL,
            outcome smallint NOT NULL DEFAULT 0, closed_ticks bigint NULL, closed_offset smallint NULL,
            PRIMARY KEY (tenant, lead_id));
        """;

    /// <summary>
    /// Version 12: the pre-event call of a campaign member (<c>CampaignTracker.RequestPreEventCallsAsync</c>,
    /// <c>RecordPreEventCallAsync</c>): when the call is due and to whom it went, when the rep called, and the interests heard (in
    /// the order first heard). Times as UTC ticks and offset minutes like the other member times.
    /// </summary>
    private static string PreEventCallSql(string s) => $"""
        ALTER TABLE {s}.campaign_member
            ADD COLUMN IF NOT EXISTS pre_event_due_at timestamptz NULL,
            ADD COLUMN IF NOT EXISTS pre_event_due_ticks bigint NULL,
            ADD COLUMN IF NOT EXISTS pre_event_due_offset smallint NULL,
            ADD COLUMN IF NOT EXISTS pre_event_owner text NULL,
            ADD COLUMN IF NOT EXISTS pre_event_called_at timestamptz NULL,
            ADD COLUMN IF NOT EXISTS pre_event_called_ticks bigint NULL,
            ADD COLUMN IF NOT EXISTS pre_event_called_offset smallint NULL,
            ADD COLUMN IF NOT EXISTS interests text[] NOT NULL DEFAULT ARRAY[]::text[];
        """;

    /// <summary>
    /// Version 10: webhooks (<c>PostgreSqlWebhookSubscriptionStore</c>, <c>PostgreSqlWebhookDeliveryStore</c>). A subscription per row
    /// in <c>webhook_subscription</c>, keyed by tenant and id, ordered by <c>seq</c>; a delivery per row in <c>webhook_delivery</c>,
    /// keyed by its id, ordered per subscription by <c>seq</c> (a replay keeps it), with its status (0 pending, 1 delivered,
    /// 2 parked), attempts, last error, and times as UTC ticks and offset minutes. The partial index serves the claim of each
    /// subscription's oldest pending delivery; the other one the purge of old delivered ones. And <c>ingest_receipt</c> gets
    /// <c>pending_until_ticks</c>: a row with it is a key claimed before its request was decided (not yet a receipt), which another
    /// instance may take over once that time has passed.
    /// </summary>
    private static string WebhookSql(string s) => $"""
        CREATE TABLE IF NOT EXISTS {s}.webhook_subscription (
            tenant text NOT NULL, id text NOT NULL, seq bigint GENERATED ALWAYS AS IDENTITY, url text NOT NULL, secret text NOT NULL,
            events text[] NOT NULL, PRIMARY KEY (tenant, id));
        CREATE TABLE IF NOT EXISTS {s}.webhook_delivery (
            id text PRIMARY KEY, seq bigint GENERATED ALWAYS AS IDENTITY, tenant text NOT NULL, subscription_id text NOT NULL,
            url text NOT NULL, event_kind text NOT NULL, body bytea NOT NULL, created_ticks bigint NOT NULL, created_offset smallint NOT NULL,
            status smallint NOT NULL CHECK (status IN (0, 1, 2)), attempts int NOT NULL, next_ticks bigint NOT NULL, next_offset smallint NOT NULL,
            last_error text NULL, delivered_ticks bigint NULL, delivered_offset smallint NULL);
        CREATE INDEX IF NOT EXISTS webhook_delivery_pending ON {s}.webhook_delivery (tenant, subscription_id, seq) WHERE status = 0;
        CREATE INDEX IF NOT EXISTS webhook_delivery_tenant ON {s}.webhook_delivery (tenant, seq);
        CREATE INDEX IF NOT EXISTS webhook_delivery_delivered ON {s}.webhook_delivery (delivered_ticks) WHERE status = 1;
        ALTER TABLE {s}.ingest_receipt ADD COLUMN IF NOT EXISTS pending_until_ticks bigint NULL;
        CREATE INDEX IF NOT EXISTS ingest_receipt_answered ON {s}.ingest_receipt (at_ticks) WHERE pending_until_ticks IS NULL;
        """;

    /// <summary>
    /// Version 13: sales content (<c>PostgreSqlContentStore</c>), per tenant. One row per item in <c>content_item</c> (its current
    /// state), its history in <c>content_history</c> (ordered by <c>seq</c>, rewritten with the item), the usages in
    /// <c>content_usage</c> (in the order recorded, <c>seq</c>), the outcome of each deal in <c>content_deal</c> and the reps'
    /// suggestions in <c>content_suggestion</c>. Times keep their UTC ticks and offset minutes.
    /// </summary>
    private static string ContentSql(string s) => $"""
        CREATE TABLE IF NOT EXISTS {s}.content_item (
            tenant text NOT NULL, id text NOT NULL, title text NOT NULL, owner text NOT NULL, kind text NULL, location text NULL,
            segments text[] NOT NULL, revision int NOT NULL CHECK (revision >= 1),
            created_ticks bigint NOT NULL, created_offset smallint NOT NULL, reviewed_ticks bigint NOT NULL, reviewed_offset smallint NOT NULL,
            expires_ticks bigint NOT NULL, expires_offset smallint NOT NULL, status smallint NOT NULL, reviewed_by text NULL,
            approved_ticks bigint NULL, approved_offset smallint NULL, rejection_reason text NULL, PRIMARY KEY (tenant, id));
        CREATE TABLE IF NOT EXISTS {s}.content_history (
            tenant text NOT NULL, item_id text NOT NULL, seq int NOT NULL, kind smallint NOT NULL, revision int NOT NULL,
            at_ticks bigint NOT NULL, at_offset smallint NOT NULL, by text NULL, reason text NULL,
            PRIMARY KEY (tenant, item_id, seq), FOREIGN KEY (tenant, item_id) REFERENCES {s}.content_item (tenant, id) ON DELETE CASCADE);
        CREATE TABLE IF NOT EXISTS {s}.content_usage (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tenant text NOT NULL, item_id text NOT NULL, rep text NOT NULL, deal_id text NOT NULL,
            helpful boolean NULL, rating smallint NULL, outcome smallint NOT NULL, used_ticks bigint NULL, used_offset smallint NULL);
        CREATE INDEX IF NOT EXISTS content_usage_tenant ON {s}.content_usage (tenant, seq);
        CREATE TABLE IF NOT EXISTS {s}.content_deal (
            tenant text NOT NULL, deal_id text NOT NULL, outcome smallint NOT NULL, PRIMARY KEY (tenant, deal_id));
        CREATE TABLE IF NOT EXISTS {s}.content_suggestion (
            tenant text NOT NULL, id text NOT NULL, rep text NOT NULL, text text NOT NULL, suggested_ticks bigint NOT NULL, suggested_offset smallint NOT NULL,
            deal_id text NULL, segment text NULL, item_id text NULL, status smallint NOT NULL, PRIMARY KEY (tenant, id));
        """;
}
