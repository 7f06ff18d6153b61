using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Alignment.Models;
using Alignment.Policies.Handoff.Definitions;

namespace Alignment.Policies.Handoff;

/// <summary>Reads, writes and hashes routing release documents (<c>{ "version", "policy", "roster" }</c>).</summary>
internal static class RoutingReleaseJson
{
    /// <summary>Writes a release document in its canonical form, re-written from the definitions (property order and whitespace of the source do not matter).</summary>
    /// <param name="release">The release.</param>
    /// <param name="indented">Whether to indent (for people) or not (for hashing).</param>
    /// <returns>The JSON text.</returns>
    public static string Write(RoutingReleaseDefinition release, bool indented)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            JsonSerializer.Serialize(w, release, RoutingJsonContext.Default.RoutingReleaseDefinition);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The content hash of a policy and roster: lower-case hex SHA-256 of the canonical, unindented release document.</summary>
    /// <param name="version">The release's version, or <see langword="null"/> (then the document has no <c>version</c>).</param>
    /// <param name="policy">The policy.</param>
    /// <param name="roster">The roster.</param>
    /// <returns>64 hex digits.</returns>
    public static string ComputeContentHash(string? version, RoutingPolicyDefinition policy, RosterDefinition roster) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Write(new RoutingReleaseDefinition { Version = version, Policy = policy, Roster = roster }, indented: false))));

    /// <summary>Reads and compiles a release document, returning every problem with its JSON path in the document (<c>$.policy.rules[2].pool</c>).</summary>
    /// <param name="json">The document.</param>
    /// <param name="limits">The document's limits, or <see langword="null"/> for the defaults.</param>
    /// <param name="plugins">The routing plugins the policy's rules may name, or <see langword="null"/> for none.</param>
    /// <param name="release">The definition, when it reads.</param>
    /// <param name="policy">The compiled policy, when it compiles.</param>
    /// <returns>The problems; empty when it compiled.</returns>
    public static ImmutableArray<ModelError> TryLoad(string json, ModelReadLimits? limits, RoutingPolicyLoadOptions? plugins, out RoutingReleaseDefinition? release, out CompiledRoutingPolicy? policy)
    {
        ArgumentNullException.ThrowIfNull(json);
        policy = null;
        release = null;
        var problems = ModelJsonGuard.Check(json, limits);
        if (problems.Count > 0)
        {
            return [.. problems.Select(p => p with { Document = null })];
        }

        RoutingReleaseDefinition? read;
        try
        {
            read = JsonSerializer.Deserialize(json, RoutingJsonContext.Default.RoutingReleaseDefinition);
        }
        catch (JsonException ex)
        {
            return [ModelError.FromJsonException(ex)];
        }

        if (read is null)
        {
            return [new ModelError("$", "the document is null")];
        }

        var errors = ImmutableArray.CreateBuilder<ModelError>();
        if (string.IsNullOrWhiteSpace(read.Version))
        {
            errors.Add(new ModelError("$.version", "a routing release needs a version (for example \"2026.3\"): the policy has only an id"));
        }
        else if (read.Version.Trim().Length != read.Version.Length)
        {
            errors.Add(new ModelError("$.version", $"the version '{read.Version}' has leading or trailing white space"));
        }

        if (read.Policy is null)
        {
            errors.Add(new ModelError("$.policy", "a routing release needs a policy"));
        }

        if (read.Roster is null)
        {
            errors.Add(new ModelError("$.roster", "a routing release needs a roster"));
        }

        if (errors.Count > 0)
        {
            return errors.ToImmutable();
        }

        if (!RoutingPolicyCompiler.TryCompile(read.Policy!, read.Roster!, read.Version, plugins, out policy, out var compileErrors))
        {
            policy = null;
            return [.. compileErrors.Select(InRelease)];
        }

        release = read;
        return [];
    }

    /// <summary>Moves an error of the policy or roster document to its place in the release document.</summary>
    private static ModelError InRelease(ModelError error)
    {
        string prefix = error.Document switch
        {
            "policy" => "$.policy",
            "roster" => "$.roster",
            _ => string.Empty,
        };
        if (prefix.Length == 0)
        {
            return error;
        }

        string path = error.Path.StartsWith('$') ? prefix + error.Path[1..] : prefix + "." + error.Path;
        return error with { Path = path, Document = null };
    }
}
