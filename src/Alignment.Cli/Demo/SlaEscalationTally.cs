using Alignment.Policies.Handoff;

namespace Alignment.Cli.Demo;

/// <summary>
/// What the router's service-level check did over the year. It is also the demo's <see cref="IHandoffEscalationHandler"/>: the
/// router hands it each manager notification that a rule asks for (a CRM would send an e-mail or open a task; the demo records it).
/// </summary>
internal sealed class SlaEscalationTally : IHandoffEscalationHandler
{
    private readonly List<HandoffEscalation> _notifications = [];

    /// <summary>Times the demo ran <see cref="HandoffRouter.ProcessSlaBreachesAsync(CancellationToken)"/>.</summary>
    public int Checks { get; set; }

    /// <summary>Breaches the router detected (it published one <c>SlaBreached</c> decision for each), by the rule's service level in minutes.</summary>
    public SortedDictionary<int, int> BreachesBySlaMinutes { get; } = [];

    /// <summary>Every manager notification the router sent, in the order it sent them.</summary>
    public IReadOnlyList<HandoffEscalation> Notifications => _notifications;

    /// <summary>Breached leads the router reassigned to another rep (when the rule sets <c>maxReassignments</c>).</summary>
    public int Reassigned { get; set; }

    /// <summary>Breached leads the router sent to the rule's escalation queue once it had reassigned them as often as allowed.</summary>
    public int EscalatedToQueue { get; set; }

    /// <summary>First touches dropped because the lead had moved to another rep (a later epoch) before the touch.</summary>
    public int StaleTouchesDropped { get; set; }

    /// <summary>All breaches the router detected.</summary>
    public int Breaches => BreachesBySlaMinutes.Values.Sum();

    /// <inheritdoc />
    public ValueTask NotifyAsync(HandoffEscalation escalation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(escalation);
        _notifications.Add(escalation);
        return ValueTask.CompletedTask;
    }
}
