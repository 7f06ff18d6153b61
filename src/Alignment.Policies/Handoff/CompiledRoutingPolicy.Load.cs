using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Alignment.Models;

namespace Alignment.Policies.Handoff;

/// <summary>Loading, the same shape as every other model kind: <see cref="Load"/> throws one <see cref="ModelException"/>, <see cref="TryLoad"/> returns the errors.</summary>
public sealed partial class CompiledRoutingPolicy
{
    /// <summary>
    /// Reads, validates and compiles a routing policy and its roster. Both documents are read even when the first is invalid, so
    /// that every problem of both is reported at once; each <see cref="ModelError"/> says which document it is in
    /// (<see cref="ModelError.Document"/>: <c>policy</c> or <c>roster</c>) and its JSON path.
    /// </summary>
    /// <param name="policyJson">The policy document.</param>
    /// <param name="rosterJson">The roster document.</param>
    /// <param name="options">
    /// The name used in messages (default <c>routing policy</c>) and the limits of each document; <see langword="null"/> for the defaults.
    /// A <see cref="RoutingPolicyLoadOptions"/> also gives the plugin strategies and conditions the rules may name.
    /// </param>
    /// <returns>The compiled policy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policyJson"/> or <paramref name="rosterJson"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    /// <exception cref="ModelException">A document is malformed or invalid; lists every problem with its document and JSON path.</exception>
    public static CompiledRoutingPolicy Load(string policyJson, string rosterJson, ModelLoadOptions? options = null)
    {
        return TryLoad(policyJson, rosterJson, options, out var policy, out var errors)
            ? policy
            : throw new ModelException(options?.Document ?? "routing policy", errors);
    }

    /// <summary>Reads a routing policy and its roster and returns every problem instead of throwing: the twin of <see cref="Load"/>.</summary>
    /// <param name="policyJson">The policy document.</param>
    /// <param name="rosterJson">The roster document.</param>
    /// <param name="options">The name used in messages and the limits of each document; <see langword="null"/> for the defaults.</param>
    /// <param name="policy">The compiled policy, or <see langword="null"/> when a document is invalid.</param>
    /// <param name="errors">Every problem with its document and JSON path, or empty.</param>
    /// <returns><see langword="true"/> when both documents loaded and compiled.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policyJson"/> or <paramref name="rosterJson"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    public static bool TryLoad(string policyJson, string rosterJson, ModelLoadOptions? options, [NotNullWhen(true)] out CompiledRoutingPolicy? policy, out ImmutableArray<ModelError> errors)
    {
        try
        {
            policy = RoutingPolicyLoader.Load(policyJson, rosterJson, options?.Limits, options as RoutingPolicyLoadOptions);
            errors = [];
            return true;
        }
        catch (ModelException ex)
        {
            policy = null;
            errors = ex.Errors;
            return false;
        }
    }
}
