using Microsoft.Extensions.Logging;

namespace Alignment.Policies.Diagnostics;

/// <summary>
/// The engines' log messages, source-generated (no boxing, no formatting when the level is off). Event ids are stable: 1xxx
/// routing, 2xxx nurture. They carry lead ids, rule ids, rep ids, codes and counts only: never an e-mail, a name or a URL.
/// </summary>
internal static partial class PolicyLog
{
    [LoggerMessage(EventId = 1001, EventName = "LeadRouted", Level = LogLevel.Debug,
        Message = "Lead {LeadId} routed ({Kind}): {Outcome} {Owner} by rule {RuleId}, epoch {Epoch}")]
    public static partial void LeadRouted(ILogger logger, string leadId, string kind, string outcome, string owner, string ruleId, int epoch);

    [LoggerMessage(EventId = 1002, EventName = "SlaBreached", Level = LogLevel.Information,
        Message = "Lead {LeadId}: rep {RepId} missed the first touch due {DueAt:O} (rule {RuleId})")]
    public static partial void SlaBreached(ILogger logger, string leadId, string repId, DateTimeOffset dueAt, string ruleId);

    [LoggerMessage(EventId = 1003, EventName = "LeadRejected", Level = LogLevel.Debug,
        Message = "Lead {LeadId} rejected by sales ({Reason}); {Result}")]
    public static partial void LeadRejected(ILogger logger, string leadId, Handoff.RejectionReason reason, string result);

    [LoggerMessage(EventId = 2001, EventName = "LeadEnrolled", Level = LogLevel.Debug,
        Message = "Lead {LeadId} enrolled on track {TrackId} ({Reason})")]
    public static partial void LeadEnrolled(ILogger logger, string leadId, string trackId, Alignment.Nurture.NurtureEntryReason reason);

    [LoggerMessage(EventId = 2002, EventName = "StepHandled", Level = LogLevel.Debug,
        Message = "Lead {LeadId}, track {TrackId}: step {Outcome}")]
    public static partial void StepHandled(ILogger logger, string leadId, string trackId, string outcome);

    [LoggerMessage(EventId = 2003, EventName = "TrackEnded", Level = LogLevel.Debug,
        Message = "Lead {LeadId} left track {TrackId} ({Exit})")]
    public static partial void TrackEnded(ILogger logger, string leadId, string trackId, string exit);

    [LoggerMessage(EventId = 2004, EventName = "StepLeaseLost", Level = LogLevel.Debug,
        Message = "Lead {LeadId}, track {TrackId}: the step's lease was lost to another instance or the lead changed; that result stands")]
    public static partial void StepLeaseLost(ILogger logger, string leadId, string trackId);

    [LoggerMessage(EventId = 2005, EventName = "NoNurturePolicy", Level = LogLevel.Warning,
        Message = "Lead {LeadId}, track {TrackId}: tenant {Tenant} has no nurture policy active in the registry (or it does not load here); the step is left for its lease to expire")]
    public static partial void NoNurturePolicy(ILogger logger, string leadId, string trackId, string tenant);
}
