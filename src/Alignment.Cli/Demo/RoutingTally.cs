using Alignment.Decisions;
using Alignment.Handoff;

namespace Alignment.Cli.Demo;

/// <summary>The demo's decision sink: counts routing decisions per rep and per queue, keeps the service-level breaches, and drops the rest (a CRM would store them).</summary>
internal sealed class RoutingTally : IDecisionSink
{
    /// <summary>Leads assigned to each rep (initial, qualified and re-routed handoffs).</summary>
    public SortedDictionary<string, int> AssignedByRep { get; } = new(StringComparer.Ordinal);

    /// <summary>Leads put in each queue.</summary>
    public SortedDictionary<string, int> QueuedByQueue { get; } = new(StringComparer.Ordinal);

    /// <summary>The <see cref="AlignmentDecision.SlaBreached"/> decisions the router published, in order.</summary>
    public List<AlignmentDecision.SlaBreached> SlaBreaches { get; } = [];

    /// <summary>Every decision published.</summary>
    public int Decisions { get; private set; }

    /// <inheritdoc />
    public ValueTask PublishAsync(AlignmentDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        Decisions++;
        if (decision is AlignmentDecision.SlaBreached breached)
        {
            SlaBreaches.Add(breached);
        }
        else if (decision is AlignmentDecision.Routed routed)
        {
            switch (routed.Decision)
            {
                case HandoffDecision.Assigned a:
                    AssignedByRep[a.Rep.Value] = AssignedByRep.GetValueOrDefault(a.Rep.Value) + 1;
                    break;
                case HandoffDecision.Queued q:
                    QueuedByQueue[q.Queue] = QueuedByQueue.GetValueOrDefault(q.Queue) + 1;
                    break;
            }
        }

        return ValueTask.CompletedTask;
    }
}
