using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Models;
using Alignment.Segmentation.Collateral;
using Alignment.Webhooks;

namespace Alignment.AspNetCore.Webhooks;

/// <summary>
/// Writes an <see cref="AlignmentDecision"/> as the webhook body: <c>kind</c>, <c>leadId</c>, <c>at</c>, <c>idempotencyKey</c> and the
/// case's own fields, camelCase, with <see cref="Utf8JsonWriter"/> (no reflection). A case this writer does not know throws, and a test
/// enumerates the cases by reflection, so a new case cannot ship unwritten.
/// </summary>
internal static class DecisionJson
{
    /// <summary>The decision's kind (one of <see cref="WebhookEvents"/>).</summary>
    public static string KindOf(AlignmentDecision decision) => decision switch
    {
        AlignmentDecision.Scored => WebhookEvents.Scored,
        AlignmentDecision.Segmented => WebhookEvents.Segmented,
        AlignmentDecision.Routed => WebhookEvents.Routed,
        AlignmentDecision.SlaBreached => WebhookEvents.SlaBreached,
        AlignmentDecision.Enrolled => WebhookEvents.Enrolled,
        AlignmentDecision.ScoreCrossed => WebhookEvents.ScoreCrossed,
        AlignmentDecision.NurtureStepSent => WebhookEvents.NurtureStepSent,
        AlignmentDecision.NurtureStepSkipped => WebhookEvents.NurtureStepSkipped,
        AlignmentDecision.NurtureExited => WebhookEvents.NurtureExited,
        AlignmentDecision.CampaignChanged => WebhookEvents.CampaignChanged,
        AlignmentDecision.StageChanged => WebhookEvents.StageChanged,
        AlignmentDecision.ContentChanged => WebhookEvents.ContentChanged,
        _ => throw new ArgumentException($"The webhook writer does not know the decision kind {decision.GetType().Name}.", nameof(decision)),
    };

    /// <summary>The decision as UTF-8 JSON.</summary>
    public static byte[] Serialize(AlignmentDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            Write(w, decision);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the decision as one JSON object.</summary>
    public static void Write(Utf8JsonWriter w, AlignmentDecision decision)
    {
        w.WriteStartObject();
        w.WriteString("kind", KindOf(decision));
        if (decision.LeadId is { } lead)
        {
            w.WriteString("leadId", lead.Value);
        }
        else
        {
            w.WriteNull("leadId");
        }

        w.WriteString("at", decision.At);
        if (decision.IdempotencyKey is null)
        {
            w.WriteNull("idempotencyKey");
        }
        else
        {
            w.WriteString("idempotencyKey", decision.IdempotencyKey);
        }

        switch (decision)
        {
            case AlignmentDecision.Scored s:
                var card = s.Card;
                w.WriteString("asOf", card.AsOf);
                w.WriteNumber("total", card.Total);
                w.WriteNumber("fit", card.Fit);
                w.WriteNumber("engagement", card.Engagement);
                w.WriteString("grade", card.Grade.ToString());
                w.WriteString("state", card.State.ToString());
                w.WriteStartObject("model");
                w.WriteString("id", card.ModelId);
                w.WriteString("version", card.ModelVersion);
                w.WriteString("hash", card.ModelHash);
                w.WriteEndObject();
                w.WriteStartArray("categories");
                foreach (var c in card.Categories.IsDefault ? [] : card.Categories)
                {
                    w.WriteStartObject();
                    w.WriteString("category", c.Category);
                    w.WriteNumber("points", c.Points);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteStartArray("explanation");
                foreach (var c in card.Explanation.IsDefault ? [] : card.Explanation)
                {
                    w.WriteStartObject();
                    w.WriteString("ruleId", c.RuleId);
                    w.WriteString("category", c.Category);
                    w.WriteString("component", c.Component.ToString());
                    w.WriteNumber("points", c.Points);
                    w.WriteNumber("gradeSteps", c.GradeSteps);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                break;
            case AlignmentDecision.Segmented s:
                w.WriteString("segment", s.Assignment.Segment.Value);
                w.WriteString("reason", s.Assignment.Reason);
                w.WriteBoolean("isDefault", s.Assignment.IsDefault);
                WriteModel(w, "model", s.Assignment.Model);
                break;
            case AlignmentDecision.Routed r:
                switch (r.Decision)
                {
                    case HandoffDecision.Assigned a:
                        w.WriteString("outcome", "assigned");
                        w.WriteString("rep", a.Rep.Value);
                        break;
                    case HandoffDecision.Queued q:
                        w.WriteString("outcome", "queued");
                        w.WriteString("queue", q.Queue);
                        break;
                    default:
                        throw new ArgumentException($"The webhook writer does not know the handoff outcome {r.Decision.GetType().Name}.", nameof(decision));
                }

                w.WriteString("ruleId", r.Decision.RuleId);
                w.WriteString("explanation", r.Decision.Explanation);
                WriteModel(w, "policy", r.Decision.Policy);
                break;
            case AlignmentDecision.SlaBreached b:
                w.WriteString("rep", b.Rep.Value);
                w.WriteString("dueAt", b.DueAt);
                w.WriteString("detectedAt", b.DetectedAt);
                break;
            case AlignmentDecision.Enrolled e:
                w.WriteString("trackId", e.Enrolment.TrackId);
                w.WriteString("reason", e.Enrolment.Reason.ToString());
                w.WriteString("enrolledAt", e.Enrolment.EnrolledAt);
                w.WriteNumber("nextStep", e.Enrolment.NextStep);
                WriteNullable(w, "nextDueAt", e.Enrolment.NextDueAt);
                WriteModel(w, "policy", e.Policy);
                break;
            case AlignmentDecision.ScoreCrossed c:
                w.WriteString("from", c.Crossing.From.ToString());
                w.WriteString("to", c.Crossing.To.ToString());
                w.WriteString("direction", c.Crossing.IsUp ? "up" : c.Crossing.IsDown ? "down" : "none");
                w.WriteNumber("score", c.Score);
                w.WriteString("crossedAt", c.CrossedAt);
                break;
            case AlignmentDecision.NurtureStepSent s:
                w.WriteString("enrolmentId", s.EnrolmentId);
                w.WriteString("trackId", s.TrackId);
                w.WriteNumber("stepIndex", s.StepIndex);
                w.WriteString("stepId", s.StepId);
                if (s.ContentId is null)
                {
                    w.WriteNull("contentId");
                }
                else
                {
                    w.WriteString("contentId", s.ContentId);
                }

                w.WriteString("sentAt", s.SentAt);
                w.WriteString("explanation", s.Explanation);
                WriteModel(w, "policy", s.Policy);
                break;
            case AlignmentDecision.NurtureStepSkipped s:
                w.WriteString("enrolmentId", s.EnrolmentId);
                w.WriteString("trackId", s.TrackId);
                w.WriteNumber("stepIndex", s.StepIndex);
                w.WriteString("stepId", s.StepId);
                w.WriteString("skippedAt", s.SkippedAt);
                w.WriteString("explanation", s.Explanation);
                WriteModel(w, "policy", s.Policy);
                break;
            case AlignmentDecision.NurtureExited x:
                w.WriteString("enrolmentId", x.EnrolmentId);
                w.WriteString("trackId", x.TrackId);
                w.WriteString("exit", x.Exit.ToString());
                w.WriteString("exitedAt", x.ExitedAt);
                w.WriteString("explanation", x.Explanation);
                break;
            case AlignmentDecision.CampaignChanged c:
                w.WriteString("campaign", c.Campaign);
                w.WriteString("event", c.Event.ToString());
                w.WriteString("occurredAt", c.OccurredAt);
                break;
            case AlignmentDecision.StageChanged s:
                w.WriteString("from", s.Transition.From.ToString());
                w.WriteString("to", s.Transition.To.ToString());
                w.WriteString("actor", s.Transition.Actor.ToString());
                w.WriteString("reason", s.Transition.Reason);
                if (s.Transition.ModelVersion is null)
                {
                    w.WriteNull("modelVersion");
                }
                else
                {
                    w.WriteString("modelVersion", s.Transition.ModelVersion);
                }

                break;
            case AlignmentDecision.ContentChanged c:
                var change = c.Change;
                w.WriteString("tenant", change.Tenant);
                w.WriteString("change", ContentChange.KindName(change.Kind));
                WriteOptional(w, "itemId", change.ItemId);
                w.WriteNumber("revision", change.Revision);
                WriteOptional(w, "suggestionId", change.SuggestionId);
                WriteOptional(w, "by", change.By);
                WriteOptional(w, "reason", change.Reason);
                w.WriteString("key", change.Key);
                break;
            default:
                throw new ArgumentException($"The webhook writer does not know the decision kind {decision.GetType().Name}.", nameof(decision));
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// The decision's identity for deduplication: its <see cref="AlignmentDecision.IdempotencyKey"/> when it came from an outbox, otherwise
    /// <c>{kind}:{lead}:{at in UTC ticks}</c> (the same decision published twice has the same kind, lead and instant); a content
    /// change's own <see cref="ContentChange.Key"/>.
    /// </summary>
    public static string KeyOf(AlignmentDecision decision) =>
        decision.IdempotencyKey ?? (decision is AlignmentDecision.ContentChanged c
            ? c.Change.Key
            : string.Create(CultureInfo.InvariantCulture, $"{KindOf(decision)}:{decision.LeadId!.Value.Value}:{decision.At.UtcTicks}"));

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void WriteModel(Utf8JsonWriter w, string name, ModelReference? model)
    {
        if (model is null)
        {
            w.WriteNull(name);
            return;
        }

        w.WriteStartObject(name);
        w.WriteString("id", model.Id);
        w.WriteString("version", model.Version);
        w.WriteString("hash", model.ContentHash);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            w.WriteString(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
