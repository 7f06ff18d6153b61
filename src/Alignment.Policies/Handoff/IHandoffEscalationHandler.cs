namespace Alignment.Policies.Handoff;

/// <summary>Notifies a manager that a rep missed a handoff's service level (e-mail, chat, a CRM task: the host decides).</summary>
/// <remarks>Implementations are thread-safe. An exception fails the breach processing, which can be run again.</remarks>
public interface IHandoffEscalationHandler
{
    /// <summary>Notifies the manager of one breach.</summary>
    /// <param name="escalation">The breach.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the notification is accepted.</returns>
    ValueTask NotifyAsync(HandoffEscalation escalation, CancellationToken cancellationToken = default);
}
