using Alignment.Leads;

namespace Alignment.Lifecycle;

/// <summary>Thrown when a lead is asked to move between two stages that the lifecycle does not connect.</summary>
public sealed class InvalidLifecycleTransitionException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="from">Its current stage.</param>
    /// <param name="to">The stage asked for.</param>
    public InvalidLifecycleTransitionException(LeadId leadId, LifecycleStage from, LifecycleStage to)
        : base($"Lead {leadId}: the lifecycle does not allow a move from {from} to {to}. Allowed from {from}: {Describe(from)}.")
    {
        LeadId = leadId;
        From = from;
        To = to;
    }

    /// <summary>Creates the exception with a message.</summary>
    public InvalidLifecycleTransitionException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public InvalidLifecycleTransitionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidLifecycleTransitionException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The lead.</summary>
    public LeadId LeadId { get; }

    /// <summary>The stage the lead was in.</summary>
    public LifecycleStage From { get; }

    /// <summary>The stage asked for.</summary>
    public LifecycleStage To { get; }

    private static string Describe(LifecycleStage from)
    {
        var allowed = LifecycleStateMachine.AllowedFrom(from);
        return allowed.IsEmpty ? "none (final stage)" : string.Join(", ", allowed);
    }
}
