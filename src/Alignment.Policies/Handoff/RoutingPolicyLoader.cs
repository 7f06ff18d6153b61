using System.Collections.Immutable;
using System.Text.Json;
using Alignment.Models;
using Alignment.Policies.Handoff.Definitions;

namespace Alignment.Policies.Handoff;

/// <summary>Reads routing policies and rosters from JSON (source-generated, reflection-free) and compiles them.</summary>
internal static class RoutingPolicyLoader
{
    /// <summary>Reads a policy document.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="limits">The file's limits (size, nesting, objects, array and string lengths); <see langword="null"/> for the defaults.</param>
    /// <returns>The definition (not yet validated against a roster).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    /// <exception cref="ModelException">
    /// The text is not a policy document, is over a limit, repeats a property or holds a control character; every error names its path.
    /// </exception>
    public static RoutingPolicyDefinition ParsePolicy(string json, ModelReadLimits? limits = null) =>
        Parse(json, limits, "policy", static j => JsonSerializer.Deserialize(j, RoutingJsonContext.Default.RoutingPolicyDefinition));

    /// <summary>Reads a roster document.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="limits">The file's limits (size, nesting, objects, array and string lengths); <see langword="null"/> for the defaults.</param>
    /// <returns>The definition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    /// <exception cref="ModelException">
    /// The text is not a roster document, is over a limit, repeats a property or holds a control character; every error names its path.
    /// </exception>
    public static RosterDefinition ParseRoster(string json, ModelReadLimits? limits = null) =>
        Parse(json, limits, "roster", static j => JsonSerializer.Deserialize(j, RoutingJsonContext.Default.RosterDefinition));

    /// <summary>Reads, validates and compiles a policy and a roster.</summary>
    /// <param name="policyJson">The policy document.</param>
    /// <param name="rosterJson">The roster document.</param>
    /// <param name="limits">The limits of each file; <see langword="null"/> for the defaults.</param>
    /// <param name="plugins">The plugin strategies and conditions rules may name, or <see langword="null"/> for none.</param>
    /// <returns>The compiled policy.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    /// <exception cref="ModelException">
    /// A document is malformed or invalid; the exception lists every problem with its document and path (the problems of both files
    /// when neither can be read).
    /// </exception>
    internal static CompiledRoutingPolicy Load(string policyJson, string rosterJson, ModelReadLimits? limits = null, RoutingPolicyLoadOptions? plugins = null)
    {
        ArgumentNullException.ThrowIfNull(policyJson);
        ArgumentNullException.ThrowIfNull(rosterJson);
        RoutingPolicyDefinition? policy = null;
        RosterDefinition? roster = null;
        var errors = ImmutableArray.CreateBuilder<ModelError>();
        try
        {
            policy = ParsePolicy(policyJson, limits);
        }
        catch (ModelException ex)
        {
            errors.AddRange(ex.Errors);
        }

        try
        {
            roster = ParseRoster(rosterJson, limits);
        }
        catch (ModelException ex)
        {
            errors.AddRange(ex.Errors);
        }

        return policy is null || roster is null ? throw new ModelException("routing policy", errors.ToImmutable()) : RoutingPolicyCompiler.Compile(policy, roster, plugins);
    }

    /// <summary>Writes a policy as indented JSON in the documented format.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    public static string Write(RoutingPolicyDefinition policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return JsonSerializer.Serialize(policy, RoutingJsonContext.Default.RoutingPolicyDefinition);
    }

    /// <summary>Writes a roster as indented JSON in the documented format.</summary>
    /// <param name="roster">The roster.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="roster"/> is null.</exception>
    public static string Write(RosterDefinition roster)
    {
        ArgumentNullException.ThrowIfNull(roster);
        return JsonSerializer.Serialize(roster, RoutingJsonContext.Default.RosterDefinition);
    }

    private static T Parse<T>(string json, ModelReadLimits? limits, string document, Func<string, T?> parse)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(json);

        // The first pass: limits, duplicate properties, control characters, malformed JSON; nothing is deserialized before it passes.
        var problems = ModelJsonGuard.Check(json, limits);
        if (problems.Count > 0)
        {
            throw new ModelException("routing " + document, [.. problems.Select(p => p with { Document = document })]);
        }

        try
        {
            return parse(json) ?? throw new ModelException("routing " + document, [new ModelError("$", "the document is null") { Document = document }]);
        }
        catch (JsonException ex)
        {
            throw new ModelException("routing " + document, [ModelError.FromJsonException(ex) with { Document = document }]);
        }
    }

}
