using System.Runtime.InteropServices;

namespace Alignment.Policies.Handoff;

/// <summary>
/// The outcome of one synchronous routing: a rep (by roster index) or a queue (by queue index), the rule that decided and the
/// first-touch deadline. Allocation-free; turn it into text with <see cref="CompiledRoutingPolicy.Explain"/>.
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal readonly struct RouteResult
{
    internal RouteResult(int rule, int rep, int queue, int noteCount, int passedOver, DateTimeOffset slaStart, DateTimeOffset slaDue)
    {
        RuleIndex = rule;
        RepIndex = rep;
        QueueIndex = queue;
        NoteCount = noteCount;
        PassedOver = passedOver;
        SlaStartsAt = slaStart;
        SlaDueAt = slaDue;
    }

    /// <summary>The deciding rule's position in the policy, or -1 when the fallback queue took the lead.</summary>
    public int RuleIndex { get; }

    /// <summary>The chosen rep's position in the roster, or -1 when the lead was queued.</summary>
    public int RepIndex { get; }

    /// <summary>The queue's position in <see cref="CompiledRoutingPolicy.Queues"/>, or -1 when a rep was chosen.</summary>
    public int QueueIndex { get; }

    /// <summary>How many notes were written to the caller's buffer.</summary>
    public int NoteCount { get; }

    /// <summary>How many notes there were in all (more than <see cref="NoteCount"/> when the buffer was too small).</summary>
    public int PassedOver { get; }

    /// <summary>Whether a rep was chosen.</summary>
    public bool IsAssigned => RepIndex >= 0;

    /// <summary>When the service-level clock starts: the decision time, or the rep's next working period when the rule waits.</summary>
    public DateTimeOffset SlaStartsAt { get; }

    /// <summary>When the first touch is due; meaningful only when <see cref="IsAssigned"/>.</summary>
    public DateTimeOffset SlaDueAt { get; }
}
