using System.Collections.Frozen;

namespace Alignment.Webhooks;

/// <summary>The decision kinds sent in the <c>Alignment-Event</c> header and the body's <c>kind</c>, one per <c>AlignmentDecision</c> case.</summary>
public static class WebhookEvents
{
    /// <summary><c>scored</c>: a lead was scored.</summary>
    public const string Scored = "scored";

    /// <summary><c>segmented</c>: a lead was put in a segment.</summary>
    public const string Segmented = "segmented";

    /// <summary><c>routed</c>: a lead was assigned to a rep or queued.</summary>
    public const string Routed = "routed";

    /// <summary><c>sla-breached</c>: a handoff's service level was breached.</summary>
    public const string SlaBreached = "sla-breached";

    /// <summary><c>enrolled</c>: a lead was put on a nurture track.</summary>
    public const string Enrolled = "enrolled";

    /// <summary><c>score-crossed</c>: a score crossed a threshold with time alone.</summary>
    public const string ScoreCrossed = "score-crossed";

    /// <summary><c>nurture-step-sent</c>: a nurture step was handed to the step handler.</summary>
    public const string NurtureStepSent = "nurture-step-sent";

    /// <summary><c>nurture-step-skipped</c>: a nurture step was skipped.</summary>
    public const string NurtureStepSkipped = "nurture-step-skipped";

    /// <summary><c>nurture-exited</c>: a nurture enrolment ended.</summary>
    public const string NurtureExited = "nurture-exited";

    /// <summary><c>campaign-changed</c>: something happened to a lead in a campaign.</summary>
    public const string CampaignChanged = "campaign-changed";

    /// <summary><c>stage-changed</c>: a lead moved between lifecycle stages.</summary>
    public const string StageChanged = "stage-changed";

    /// <summary><c>content-changed</c>: a tenant's sales content changed (a suggestion, a draft, a review, a revision, an expiry, a retirement); no lead.</summary>
    public const string ContentChanged = "content-changed";

    /// <summary>Every kind above.</summary>
    public static FrozenSet<string> All { get; } = FrozenSet.Create(StringComparer.Ordinal,
        Scored, Segmented, Routed, SlaBreached, Enrolled, ScoreCrossed, NurtureStepSent, NurtureStepSkipped, NurtureExited, CampaignChanged, StageChanged, ContentChanged);
}
