using Microsoft.Extensions.Logging;

namespace Alignment.Hosting;

/// <summary>
/// What the workers log, with stable event ids (3001-3099). Ids, codes, counts and times only: never a lead's e-mail, name,
/// note or URL.
/// </summary>
internal static partial class HostingLog
{
    [LoggerMessage(3001, LogLevel.Information, "Alignment worker {Worker} started on instance {Instance}")]
    public static partial void WorkerStarted(ILogger logger, string worker, string instance);

    [LoggerMessage(3002, LogLevel.Error, "Alignment worker {Worker} failed ({Failures} in a row); next attempt in {Delay}")]
    public static partial void WorkerFailed(ILogger logger, Exception exception, string worker, int failures, TimeSpan delay);

    [LoggerMessage(3003, LogLevel.Information, "Alignment worker {Worker} recovered after {Failures} failed cycles")]
    public static partial void WorkerRecovered(ILogger logger, string worker, int failures);

    [LoggerMessage(3004, LogLevel.Information, "Instance {Instance} took lease {Lease} (term {Term}): it now runs {Worker}")]
    public static partial void LeaseTaken(ILogger logger, string instance, string lease, long term, string worker);

    [LoggerMessage(3005, LogLevel.Warning, "Instance {Instance} lost lease {Lease}: another instance runs {Worker} now")]
    public static partial void LeaseLost(ILogger logger, string instance, string lease, string worker);

    [LoggerMessage(3006, LogLevel.Debug, "Nurture worker: {Claimed} steps claimed, {Sent} sent")]
    public static partial void NurtureCycle(ILogger logger, int claimed, int sent);

    [LoggerMessage(3014, LogLevel.Debug, "Decision relay: {Delivered} decisions delivered")]
    public static partial void RelayCycle(ILogger logger, int delivered);

    [LoggerMessage(3007, LogLevel.Debug, "SLA check: {Breaches} breached handoffs handled")]
    public static partial void SlaCycle(ILogger logger, int breaches);

    [LoggerMessage(3008, LogLevel.Debug, "Lead {LeadId} crossed from {From} to {To} at {At:O} (score {Score})")]
    public static partial void ScoreCrossed(ILogger logger, string leadId, string from, string to, DateTimeOffset at, decimal score);

    [LoggerMessage(3009, LogLevel.Warning, "Decay watch of lead {LeadId} failed; retried at {RetryAt:O}")]
    public static partial void DecayLeadFailed(ILogger logger, Exception exception, string leadId, DateTimeOffset retryAt);

    [LoggerMessage(3010, LogLevel.Information, "Lead {LeadId} dropped below the MQL threshold at stage {Stage}: not put back on nurture (only leads with marketing are)")]
    public static partial void NotReenrolled(ILogger logger, string leadId, string stage);

    [LoggerMessage(3011, LogLevel.Warning, "Durable configuration with an in-memory service: {Problem}")]
    public static partial void InMemoryWithDurable(ILogger logger, string problem);

    [LoggerMessage(3012, LogLevel.Information, "Lead {LeadId} is no longer watched: {Reason}")]
    public static partial void WatchRemoved(ILogger logger, string leadId, string reason);

    [LoggerMessage(3013, LogLevel.Debug, "Decay watch: {Handled} due leads handled")]
    public static partial void DecayCycle(ILogger logger, int handled);

    [LoggerMessage(3016, LogLevel.Error, "The active {Kind} release of tenant {Tenant} was not taken up; the tenant keeps the model it had: {Problems}")]
    public static partial void ModelRejected(ILogger logger, string tenant, string kind, string problems);

    [LoggerMessage(3017, LogLevel.Warning, "Tenant {Tenant} has no active {Kind} release yet; it is loaded when one is activated")]
    public static partial void ModelMissing(ILogger logger, string tenant, string kind);

    [LoggerMessage(3018, LogLevel.Warning, "The {Kind} model of tenant {Tenant} could not be read from the registry; retried at the next refresh")]
    public static partial void ModelRefreshFailed(ILogger logger, Exception exception, string tenant, string kind);

    [LoggerMessage(3019, LogLevel.Warning, "Part of the champion/challenger comparison could not be written to the ledger at shutdown; what was buffered since the last flush is lost")]
    public static partial void ChallengerFlushLost(ILogger logger, Exception exception);
}
