using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Alignment.Policies.Nurture;

/// <summary>The outcome of loading a nurture policy: the compiled policy, or every problem found, each with its JSON path.</summary>
public sealed class NurturePolicyLoadResult
{
    internal NurturePolicyLoadResult(NurturePolicy? policy, ImmutableArray<NurturePolicyError> errors)
    {
        Policy = policy;
        Errors = errors;
    }

    /// <summary>The compiled policy when loading succeeded.</summary>
    public NurturePolicy? Policy { get; }

    /// <summary>Every problem found; empty on success.</summary>
    public ImmutableArray<NurturePolicyError> Errors { get; }

    /// <summary><see langword="true"/> when the policy loaded.</summary>
    [MemberNotNullWhen(true, nameof(Policy))]
    public bool Success => Policy is not null;

    /// <summary>Returns the policy or throws an exception listing every error.</summary>
    /// <returns>The policy.</returns>
    /// <exception cref="FormatException">The policy did not load; the message lists every error with its path.</exception>
    public NurturePolicy GetPolicyOrThrow() =>
        Policy ?? throw new FormatException("The nurture policy is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, Errors));
}
