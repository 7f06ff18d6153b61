using System.Globalization;
using System.Text.Json;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Lifecycle;
using Alignment.Models;
using Alignment.Nurture;
using Alignment.Scoring;
using Alignment.Segmentation.Collateral;

namespace Alignment.Storage.PostgreSql.Decisions;

/// <summary>
/// The JSON the outbox keeps for a decision (<c>decision_outbox.payload</c>), written and read by hand so it works under trimming
/// and NativeAOT: the routing store records <see cref="AlignmentDecision.Routed"/> and <see cref="AlignmentDecision.SlaBreached"/>,
/// the lifecycle store <see cref="AlignmentDecision.StageChanged"/>, the nurture store <see cref="AlignmentDecision.Enrolled"/>,
/// <see cref="AlignmentDecision.NurtureStepSent"/>, <see cref="AlignmentDecision.NurtureStepSkipped"/> and
/// <see cref="AlignmentDecision.NurtureExited"/>, the campaign store <see cref="AlignmentDecision.CampaignChanged"/>,
/// the score-watch store <see cref="AlignmentDecision.ScoreCrossed"/>.
/// Instants keep their offset (ISO 8601 round-trip form).
/// </summary>
internal static class DecisionPayload
{
    public const string Routed = "routed";
    public const string SlaBreached = "sla-breached";
    public const string StageChanged = "stage-changed";
    public const string Enrolled = "enrolled";
    public const string NurtureStepSent = "nurture-step-sent";
    public const string NurtureStepSkipped = "nurture-step-skipped";
    public const string NurtureExited = "nurture-exited";
    public const string CampaignChanged = "campaign-changed";
    public const string ScoreCrossed = "score-crossed";
    public const string ContentChanged = "content-changed";

    /// <summary>The kind and JSON of a decision.</summary>
    /// <exception cref="NotSupportedException">The outbox does not store this kind of decision.</exception>
    public static (string Kind, string Json) Write(AlignmentDecision decision)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            string kind;
            switch (decision)
            {
                case AlignmentDecision.Routed r:
                    kind = Routed;
                    w.WriteString("lead", r.Decision.LeadId.Value);
                    w.WriteString("rule", r.Decision.RuleId);
                    w.WriteString("explanation", r.Decision.Explanation);
                    if (r.Decision is HandoffDecision.Assigned a)
                    {
                        w.WriteString("rep", a.Rep.Value);
                    }
                    else
                    {
                        w.WriteString("queue", ((HandoffDecision.Queued)r.Decision).Queue);
                    }

                    w.WriteString("decidedAt", Instant(r.DecidedAt));
                    WritePolicy(w, r.Decision.Policy);

                    break;
                case AlignmentDecision.SlaBreached b:
                    kind = SlaBreached;
                    w.WriteString("lead", b.Lead.Value);
                    w.WriteString("rep", b.Rep.Value);
                    w.WriteString("dueAt", Instant(b.DueAt));
                    w.WriteString("detectedAt", Instant(b.DetectedAt));
                    break;
                case AlignmentDecision.StageChanged c:
                    kind = StageChanged;
                    w.WriteString("lead", c.Lead.Value);
                    w.WriteNumber("from", (int)c.Transition.From);
                    w.WriteNumber("to", (int)c.Transition.To);
                    w.WriteString("at", Instant(c.Transition.At));
                    w.WriteNumber("actor", (int)c.Transition.Actor);
                    w.WriteString("reason", c.Transition.Reason);
                    if (c.Transition.ModelVersion is { } model)
                    {
                        w.WriteString("modelVersion", model);
                    }

                    break;
                case AlignmentDecision.Enrolled e:
                    kind = Enrolled;
                    w.WriteString("lead", e.Enrolment.LeadId.Value);
                    w.WriteString("track", e.Enrolment.TrackId);
                    w.WriteNumber("reason", (int)e.Enrolment.Reason);
                    w.WriteString("enrolledAt", Instant(e.Enrolment.EnrolledAt));
                    w.WriteNumber("nextStep", e.Enrolment.NextStep);
                    if (e.Enrolment.NextDueAt is { } due)
                    {
                        w.WriteString("nextDueAt", Instant(due));
                    }

                    WritePolicy(w, e.Policy);
                    break;
                case AlignmentDecision.NurtureStepSent n:
                    kind = NurtureStepSent;
                    WriteStep(w, n.Lead, n.EnrolmentId, n.TrackId, n.StepIndex, n.StepId, n.SentAt, n.Explanation);
                    if (n.ContentId is { } content)
                    {
                        w.WriteString("content", content);
                    }

                    WritePolicy(w, n.Policy);
                    break;
                case AlignmentDecision.NurtureStepSkipped n:
                    kind = NurtureStepSkipped;
                    WriteStep(w, n.Lead, n.EnrolmentId, n.TrackId, n.StepIndex, n.StepId, n.SkippedAt, n.Explanation);
                    WritePolicy(w, n.Policy);
                    break;
                case AlignmentDecision.NurtureExited x:
                    kind = NurtureExited;
                    w.WriteString("lead", x.Lead.Value);
                    w.WriteString("enrolment", x.EnrolmentId);
                    w.WriteString("track", x.TrackId);
                    w.WriteNumber("exit", (int)x.Exit);
                    w.WriteString("at", Instant(x.ExitedAt));
                    w.WriteString("explanation", x.Explanation);
                    break;
                case AlignmentDecision.CampaignChanged c:
                    kind = CampaignChanged;
                    w.WriteString("lead", c.Lead.Value);
                    w.WriteString("campaign", c.Campaign);
                    w.WriteNumber("event", (int)c.Event);
                    w.WriteString("at", Instant(c.OccurredAt));
                    break;
                case AlignmentDecision.ScoreCrossed x:
                    kind = ScoreCrossed;
                    w.WriteString("lead", x.Lead.Value);
                    w.WriteNumber("from", (int)x.Crossing.From);
                    w.WriteNumber("to", (int)x.Crossing.To);
                    w.WriteNumber("score", x.Score);
                    w.WriteString("crossedAt", Instant(x.CrossedAt));
                    break;
                case AlignmentDecision.ContentChanged x:
                    kind = ContentChanged;
                    var change = x.Change;
                    w.WriteString("tenant", change.Tenant);
                    w.WriteString("change", ContentChange.KindName(change.Kind));
                    w.WriteString("at", Instant(change.At));
                    if (change.ItemId is { } item)
                    {
                        w.WriteString("item", item);
                    }

                    w.WriteNumber("revision", change.Revision);
                    if (change.SuggestionId is { } suggestion)
                    {
                        w.WriteString("suggestion", suggestion);
                    }

                    if (change.By is { } by)
                    {
                        w.WriteString("by", by);
                    }

                    if (change.Reason is { } reason)
                    {
                        w.WriteString("reason", reason);
                    }

                    break;
                default:
                    throw new NotSupportedException($"The PostgreSQL decision outbox does not store {decision.GetType().Name} decisions.");
            }

            w.WriteEndObject();
            w.Flush();
            return (kind, System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        }
    }

    /// <summary>Reads a decision back, with its idempotency key.</summary>
    /// <exception cref="InvalidDataException">The row is not a decision this release can read; the message names the row.</exception>
    public static AlignmentDecision Read(long sequence, string key, string kind, string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var o = doc.RootElement;
            AlignmentDecision decision = kind switch
            {
                Routed => new AlignmentDecision.Routed(
                    o.TryGetProperty("rep", out var rep)
                        ? new HandoffDecision.Assigned(new LeadId(Text(o, "lead")), new RepId(rep.GetString()!), Text(o, "rule"), Text(o, "explanation")) { Policy = ReadPolicy(o) }
                        : new HandoffDecision.Queued(new LeadId(Text(o, "lead")), Text(o, "queue"), Text(o, "rule"), Text(o, "explanation")) { Policy = ReadPolicy(o) },
                    ParseInstant(Text(o, "decidedAt"))),
                SlaBreached => new AlignmentDecision.SlaBreached(
                    new LeadId(Text(o, "lead")), new RepId(Text(o, "rep")), ParseInstant(Text(o, "dueAt")), ParseInstant(Text(o, "detectedAt"))),
                StageChanged => new AlignmentDecision.StageChanged(
                    new LeadId(Text(o, "lead")),
                    new LifecycleTransition((LifecycleStage)Number(o, "from"), (LifecycleStage)Number(o, "to"), ParseInstant(Text(o, "at")), (LifecycleActor)Number(o, "actor"), Text(o, "reason"))
                    {
                        ModelVersion = o.TryGetProperty("modelVersion", out var m) ? m.GetString() : null,
                    }),
                Enrolled => new AlignmentDecision.Enrolled(new NurtureEnrolment(
                    new LeadId(Text(o, "lead")), Text(o, "track"), (NurtureEntryReason)Number(o, "reason"), ParseInstant(Text(o, "enrolledAt")), Number(o, "nextStep"),
                    o.TryGetProperty("nextDueAt", out var due) ? ParseInstant(due.GetString()!) : null)) { Policy = ReadPolicy(o) },
                NurtureStepSent => new AlignmentDecision.NurtureStepSent(
                    new LeadId(Text(o, "lead")), Text(o, "enrolment"), Text(o, "track"), Number(o, "step"), Text(o, "stepId"),
                    o.TryGetProperty("content", out var content) ? content.GetString() : null, ParseInstant(Text(o, "at")), Text(o, "explanation")) { Policy = ReadPolicy(o) },
                NurtureStepSkipped => new AlignmentDecision.NurtureStepSkipped(
                    new LeadId(Text(o, "lead")), Text(o, "enrolment"), Text(o, "track"), Number(o, "step"), Text(o, "stepId"), ParseInstant(Text(o, "at")), Text(o, "explanation")) { Policy = ReadPolicy(o) },
                NurtureExited => new AlignmentDecision.NurtureExited(
                    new LeadId(Text(o, "lead")), Text(o, "enrolment"), Text(o, "track"), (NurtureExit)Number(o, "exit"), ParseInstant(Text(o, "at")), Text(o, "explanation")),
                CampaignChanged => new AlignmentDecision.CampaignChanged(
                    new LeadId(Text(o, "lead")), Text(o, "campaign"), (CampaignEvent)Number(o, "event"), ParseInstant(Text(o, "at"))),
                ScoreCrossed => new AlignmentDecision.ScoreCrossed(
                    new LeadId(Text(o, "lead")), new ThresholdCrossing((QualificationState)Number(o, "from"), (QualificationState)Number(o, "to")),
                    o.TryGetProperty("score", out var score) && score.ValueKind == JsonValueKind.Number ? score.GetDecimal() : throw new KeyNotFoundException("missing number property 'score'"),
                    ParseInstant(Text(o, "crossedAt"))),
                ContentChanged => new AlignmentDecision.ContentChanged(new ContentChange(
                    Text(o, "tenant"),
                    ContentChange.TryParseKind(Text(o, "change"), out var changeKind) ? changeKind : throw new InvalidDataException($"unknown content change '{Text(o, "change")}'"),
                    ParseInstant(Text(o, "at")))
                {
                    ItemId = Optional(o, "item"),
                    Revision = Number(o, "revision"),
                    SuggestionId = Optional(o, "suggestion"),
                    By = Optional(o, "by"),
                    Reason = Optional(o, "reason"),
                }),
                _ => throw new InvalidDataException($"unknown kind '{kind}'"),
            };
            return decision with { IdempotencyKey = key };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or ArgumentException or InvalidOperationException or InvalidDataException)
        {
            throw new InvalidDataException($"decision_outbox row {sequence} (key '{key}', kind '{kind}') cannot be read: {e.Message}", e);
        }
    }

    private static string? Optional(JsonElement o, string name) =>
        o.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;

    private static void WriteStep(Utf8JsonWriter w, LeadId lead, string enrolment, string track, int step, string stepId, DateTimeOffset at, string explanation)
    {
        w.WriteString("lead", lead.Value);
        w.WriteString("enrolment", enrolment);
        w.WriteString("track", track);
        w.WriteNumber("step", step);
        w.WriteString("stepId", stepId);
        w.WriteString("at", Instant(at));
        w.WriteString("explanation", explanation);
    }

    /// <summary>Writes the policy a routing or nurture decision names, as <c>"policy":{"id","version","hash"}</c>; nothing when it names none.</summary>
    private static void WritePolicy(Utf8JsonWriter w, ModelReference? policy)
    {
        if (policy is null)
        {
            return;
        }

        w.WriteStartObject("policy");
        w.WriteString("id", policy.Id);
        w.WriteString("version", policy.Version);
        w.WriteString("hash", policy.ContentHash);
        w.WriteEndObject();
    }

    /// <summary>Reads what <see cref="WritePolicy"/> wrote; <see langword="null"/> for a payload written without one (before policies were recorded).</summary>
    private static ModelReference? ReadPolicy(JsonElement o) =>
        o.TryGetProperty("policy", out var p) && p.ValueKind == JsonValueKind.Object ? new ModelReference(Text(p, "id"), Text(p, "version"), Text(p, "hash")) : null;

    private static string Instant(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseInstant(string text) => DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static int Number(JsonElement o, string name) =>
        o.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt32() : throw new KeyNotFoundException($"missing number property '{name}'");

    private static string Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : throw new KeyNotFoundException($"missing text property '{name}'");
}
