using System.Collections.Immutable;

namespace Alignment.Policies.Handoff;

/// <summary>A routing policy or roster is invalid; <see cref="Errors"/> lists every problem with its JSON path.</summary>
public sealed class RoutingPolicyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RoutingPolicyException()
        : this("The routing policy is invalid.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public RoutingPolicyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public RoutingPolicyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from a list of problems.</summary>
    /// <param name="errors">The problems; the message lists them one a line.</param>
    public RoutingPolicyException(ImmutableArray<RoutingPolicyError> errors)
        : base("The routing policy is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    /// <summary>Every problem found.</summary>
    public ImmutableArray<RoutingPolicyError> Errors { get; } = [];
}
