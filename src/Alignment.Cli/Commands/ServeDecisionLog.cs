using Alignment.Decisions;
using Alignment.Policies.Nurture;
using Microsoft.Extensions.Logging;

namespace Alignment.Cli.Commands;

/// <summary>
/// Where a tenant of <c>alignment serve</c> hands its decisions and due nurture steps. Each decision is logged (Debug, the lead's
/// id only); the HTTP integration fans every decision out to the tenant's webhooks beside this sink (AddAlignmentWebhooks). A
/// due nurture step has no CRM to go to, so it is logged and dropped. Unlike the in-memory sink and outbox, it keeps nothing, so
/// a long load run does not grow the process.
/// </summary>
/// <param name="logger">The log.</param>
internal sealed partial class ServeDecisionLog(ILogger<ServeDecisionLog> logger) : IDecisionSink, INurtureStepHandler
{
    /// <inheritdoc />
    public ValueTask PublishAsync(AlignmentDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        Decided(logger, decision.GetType().Name, decision.LeadId?.Value ?? (decision as AlignmentDecision.ContentChanged)?.Change.Key ?? "?");
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ExecuteAsync(NurtureStepExecution execution, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        StepDue(logger, execution.TrackId, execution.Lead.Id.ToString());
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(4001, LogLevel.Debug, "Decision {Decision} for {Subject} (to the tenant's webhooks)")]
    private static partial void Decided(ILogger logger, string decision, string subject);

    [LoggerMessage(4002, LogLevel.Debug, "Nurture step of track {Track} due for {Lead} (no CRM behind alignment serve: logged and dropped)")]
    private static partial void StepDue(ILogger logger, string track, string lead);
}
