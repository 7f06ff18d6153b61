using Alignment.Leads;

namespace Alignment.Testing;

/// <summary>Thrown by <see cref="RuleKit"/> when a rule or a model breaks a promise: says which one, and for which lead.</summary>
public sealed class RulePromiseException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="promise">The promise broken.</param>
    /// <param name="subject">The rule's name, or the model's description.</param>
    /// <param name="leadId">The lead that broke it.</param>
    /// <param name="detail">What was seen.</param>
    /// <param name="innerException">The exception seen, if any.</param>
    public RulePromiseException(RulePromise promise, string subject, LeadId leadId, string detail, Exception? innerException = null)
        : base($"Promise '{promise}' broken by {subject} for lead '{leadId}': {detail}", innerException)
    {
        Promise = promise;
        LeadId = leadId;
    }

    /// <summary>Creates an exception with no promise or lead (for serializers and tests).</summary>
    public RulePromiseException()
    {
    }

    /// <summary>Creates an exception with a message and no promise or lead.</summary>
    /// <param name="message">The message.</param>
    public RulePromiseException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception, and no promise or lead.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The inner exception.</param>
    public RulePromiseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The promise broken.</summary>
    public RulePromise Promise { get; }

    /// <summary>The lead that broke it (the default id when the exception was created without one).</summary>
    public LeadId LeadId { get; }
}
