using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Models;
using Alignment.Policies.Handoff;
using Alignment.Scoring;
using Npgsql;
using NpgsqlTypes;

namespace Alignment.Storage.PostgreSql;

// The rows of the routing store: writing and reading a handoff.
public sealed partial class PostgreSqlRoutingStateStore
{
    private NpgsqlBatchCommand UpsertAssignment(HandoffAssignment a)
    {
        var cmd = new NpgsqlBatchCommand(
            $"""
            INSERT INTO {_schema}.handoff_assignment ({Columns})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30)
            ON CONFLICT (lead_id) DO UPDATE SET epoch = EXCLUDED.epoch, policy_id = EXCLUDED.policy_id, rule_id = EXCLUDED.rule_id, rep_id = EXCLUDED.rep_id,
                queue = EXCLUDED.queue, explanation = EXCLUDED.explanation, decided_at = EXCLUDED.decided_at, status = EXCLUDED.status, phase = EXCLUDED.phase,
                qualification = EXCLUDED.qualification, sla_due_at = EXCLUDED.sla_due_at, reassignments = EXCLUDED.reassignments, escalated = EXCLUDED.escalated,
                first_touch_at = EXCLUDED.first_touch_at, closed_at = EXCLUDED.closed_at, rejection = EXCLUDED.rejection, note = EXCLUDED.note,
                f_country = EXCLUDED.f_country, f_region = EXCLUDED.f_region, f_language = EXCLUDED.f_language, f_segment = EXCLUDED.f_segment,
                f_source = EXCLUDED.f_source, f_account = EXCLUDED.f_account, f_domain = EXCLUDED.f_domain, f_score = EXCLUDED.f_score,
                f_grade = EXCLUDED.f_grade, f_state = EXCLUDED.f_state, policy_version = EXCLUDED.policy_version, policy_hash = EXCLUDED.policy_hash
            """);
        var f = a.Facts;
        var p = cmd.Parameters;
        p.Add(new NpgsqlParameter { Value = a.LeadId.Value });
        p.Add(new NpgsqlParameter { Value = a.Epoch });
        p.Add(new NpgsqlParameter { Value = a.PolicyId });
        p.Add(new NpgsqlParameter { Value = a.Decision.RuleId });
        p.Add(Text(a.Rep?.Value));
        p.Add(Text(a.Decision is HandoffDecision.Queued q ? q.Queue : null));
        p.Add(new NpgsqlParameter { Value = a.Decision.Explanation });
        p.Add(new NpgsqlParameter { Value = a.DecidedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new NpgsqlParameter { Value = (short)a.Status });
        p.Add(new NpgsqlParameter { Value = (short)a.Phase });
        p.Add(new NpgsqlParameter { Value = a.Qualification });
        p.Add(Time(a.SlaDueAt));
        p.Add(new NpgsqlParameter { Value = a.Reassignments });
        p.Add(new NpgsqlParameter { Value = a.Escalated });
        p.Add(Time(a.FirstTouchAt));
        p.Add(Time(a.ClosedAt));
        p.Add(new NpgsqlParameter { Value = a.Rejection is { } r ? (short)r : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Smallint });
        p.Add(Text(a.Note));
        p.Add(Text(f.Country));
        p.Add(Text(f.Region));
        p.Add(Text(f.Language));
        p.Add(Text(f.Segment));
        p.Add(Text(f.Source));
        p.Add(Text(f.AccountId));
        p.Add(Text(f.Domain));
        p.Add(new NpgsqlParameter { Value = f.Score });
        p.Add(new NpgsqlParameter { Value = (short)f.Grade });
        p.Add(new NpgsqlParameter { Value = (short)f.State });
        p.Add(Text(a.Decision.Policy?.Version));
        p.Add(Text(a.Decision.Policy?.ContentHash));
        return cmd;
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { Value = value is { } v ? v.ToUniversalTime() : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static HandoffAssignment ReadAssignment(NpgsqlDataReader r)
    {
        var leadId = new LeadId(r.GetString(0));
        string ruleId = r.GetString(3);
        string explanation = r.GetString(6);
        // A handoff saved before schema version 6 has no policy version and hash: its decision names no policy.
        var policy = r.IsDBNull(29) ? null : new ModelReference(r.GetString(2), NullableText(r, 28) ?? string.Empty, r.GetString(29));
        HandoffDecision decision = r.IsDBNull(4)
            ? new HandoffDecision.Queued(leadId, r.GetString(5), ruleId, explanation) { Policy = policy }
            : new HandoffDecision.Assigned(leadId, new RepId(r.GetString(4)), ruleId, explanation) { Policy = policy };
        var facts = new RoutingFacts(leadId)
        {
            Country = NullableText(r, 18),
            Region = NullableText(r, 19),
            Language = NullableText(r, 20),
            Segment = NullableText(r, 21),
            Source = NullableText(r, 22),
            AccountId = NullableText(r, 23),
            Domain = NullableText(r, 24),
            Score = r.GetDecimal(25),
            Grade = (Grade)r.GetInt16(26),
            State = (QualificationState)r.GetInt16(27),
        };
        return new HandoffAssignment(decision, facts, r.GetInt32(1), r.GetFieldValue<DateTimeOffset>(7), (HandoffStatus)r.GetInt16(8))
        {
            PolicyId = r.GetString(2),
            Phase = (RoutingPhase)r.GetInt16(9),
            Qualification = r.GetBoolean(10),
            SlaDueAt = NullableTime(r, 11),
            Reassignments = r.GetInt32(12),
            Escalated = r.GetBoolean(13),
            FirstTouchAt = NullableTime(r, 14),
            ClosedAt = NullableTime(r, 15),
            Rejection = r.IsDBNull(16) ? null : (RejectionReason)r.GetInt16(16),
            Note = NullableText(r, 17),
        };
    }

    private static string? NullableText(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
}
