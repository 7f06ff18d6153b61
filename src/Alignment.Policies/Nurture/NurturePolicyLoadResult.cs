using Alignment.Models;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Alignment.Policies.Nurture;

/// <summary>The outcome of loading a nurture policy: the compiled policy, or every problem found, each with its JSON path.</summary>
internal sealed class NurturePolicyLoadResult
{
    internal NurturePolicyLoadResult(NurturePolicy? policy, ImmutableArray<ModelError> errors)
    {
        Policy = policy;
        Errors = errors;
    }

    /// <summary>The compiled policy when loading succeeded.</summary>
    public NurturePolicy? Policy { get; }

    /// <summary>Every problem found; empty on success.</summary>
    public ImmutableArray<ModelError> Errors { get; }

    /// <summary><see langword="true"/> when the policy loaded.</summary>
    [MemberNotNullWhen(true, nameof(Policy))]
    public bool Success => Policy is not null;

    /// <summary>Returns the policy or throws an exception listing every error.</summary>
    /// <returns>The policy.</returns>
    /// <exception cref="FormatException">The policy did not load; the message lists every error with its path.</exception>
    public NurturePolicy GetPolicyOrThrow(string document) => Policy ?? throw new ModelException(document, Errors);
}
