using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Alignment.Models;
using Alignment.Models.Registry;
using Alignment.Policies.Handoff.Definitions;

namespace Alignment.Policies.Handoff;

/// <summary>
/// A routing policy with its roster as one release of a <see cref="IModelRegistry"/> (<see cref="ModelKind.Routing"/>): one JSON
/// document <c>{ "version": "2026.3", "policy": { … }, "roster": { … } }</c>, where <c>policy</c> and <c>roster</c> are the documents
/// <see cref="CompiledRoutingPolicy.Load"/> reads and <c>version</c> is the release's version (a routing policy has an id, not a
/// version). A release always compiles: <see cref="Parse"/> and <see cref="TryParse"/> refuse one that does not, with every problem
/// at its JSON path in the release (for example <c>$.policy.rules[2].pool</c>).
/// </summary>
/// <remarks>
/// The <see cref="ContentHash"/> is the lower-case hex SHA-256 of the release's canonical, unindented JSON, re-written from what was
/// read: the whitespace, comments and property order of the file do not change it, any change of the version, the policy or the
/// roster does. It is the hash both teams' approvals name and the hash every decision of the policy carries
/// (<see cref="CompiledRoutingPolicy.Model"/>). Immutable and thread-safe.
/// </remarks>
public sealed class RoutingRelease
{
    private readonly RoutingReleaseDefinition _definition;

    private RoutingRelease(RoutingReleaseDefinition definition, CompiledRoutingPolicy policy)
    {
        _definition = definition;
        Policy = policy;
    }

    /// <summary>The policy's id: the release's id in the registry.</summary>
    public string Id => Policy.Model.Id;

    /// <summary>The release's version.</summary>
    public string Version => Policy.Model.Version;

    /// <summary>The lower-case hex SHA-256 of the release's canonical, unindented JSON.</summary>
    public string ContentHash => Policy.Model.ContentHash;

    /// <summary>The policy compiled against the roster; its <see cref="CompiledRoutingPolicy.Model"/> names this release.</summary>
    public CompiledRoutingPolicy Policy { get; }

    /// <summary>Reads and compiles a release document.</summary>
    /// <param name="json">The release document.</param>
    /// <param name="options">The name used in messages (default <c>model</c>, use for example <c>routing release</c>) and the document's limits; <see langword="null"/> for the defaults. A <see cref="RoutingPolicyLoadOptions"/> also gives the plugin strategies and conditions the rules may name.</param>
    /// <returns>The release.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    /// <exception cref="ModelException">The document is malformed, lacks a version, a policy or a roster, or does not compile; lists every problem with its JSON path.</exception>
    public static RoutingRelease Parse(string json, ModelLoadOptions? options = null) =>
        TryParse(json, options, out var release, out var errors) ? release : throw new ModelException(options?.Document ?? "routing release", errors);

    /// <summary>Reads and compiles a release document and returns every problem instead of throwing: the twin of <see cref="Parse"/>.</summary>
    /// <param name="json">The release document.</param>
    /// <param name="options">The document's limits; <see langword="null"/> for the defaults. A <see cref="RoutingPolicyLoadOptions"/> also gives the plugin strategies and conditions the rules may name.</param>
    /// <param name="release">The release, or <see langword="null"/> when it does not read or compile.</param>
    /// <param name="errors">Every problem with its JSON path in the release document, or empty.</param>
    /// <returns><see langword="true"/> when the release read and compiled.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    public static bool TryParse(string json, ModelLoadOptions? options, [NotNullWhen(true)] out RoutingRelease? release, out ImmutableArray<ModelError> errors)
    {
        errors = RoutingReleaseJson.TryLoad(json, options?.Limits, options as RoutingPolicyLoadOptions, out var definition, out var policy);
        release = errors.IsEmpty ? new RoutingRelease(definition!, policy!) : null;
        return release is not null;
    }

    /// <summary>Makes a release of a policy document and a roster document (the files <see cref="CompiledRoutingPolicy.Load"/> reads).</summary>
    /// <param name="version">The release's version (for example <c>2026.3</c>).</param>
    /// <param name="policyJson">The policy document.</param>
    /// <param name="rosterJson">The roster document.</param>
    /// <param name="options">The name used in messages and the limits of each document; <see langword="null"/> for the defaults. A <see cref="RoutingPolicyLoadOptions"/> also gives the plugin strategies and conditions the rules may name.</param>
    /// <returns>The release.</returns>
    /// <exception cref="ArgumentException"><paramref name="version"/> is empty or has leading or trailing white space.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="policyJson"/> or <paramref name="rosterJson"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    /// <exception cref="ModelException">A document is malformed or invalid; lists every problem with its document (<c>policy</c> or <c>roster</c>) and JSON path.</exception>
    public static RoutingRelease Create(string version, string policyJson, string rosterJson, ModelLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        if (version.Trim().Length != version.Length)
        {
            throw new ArgumentException($"The release version '{version}' has leading or trailing white space.", nameof(version));
        }

        ArgumentNullException.ThrowIfNull(policyJson);
        ArgumentNullException.ThrowIfNull(rosterJson);
        var errors = ImmutableArray.CreateBuilder<ModelError>();
        RoutingPolicyDefinition? policy = null;
        RosterDefinition? roster = null;
        try
        {
            policy = RoutingPolicyLoader.ParsePolicy(policyJson, options?.Limits);
        }
        catch (ModelException ex)
        {
            errors.AddRange(ex.Errors);
        }

        try
        {
            roster = RoutingPolicyLoader.ParseRoster(rosterJson, options?.Limits);
        }
        catch (ModelException ex)
        {
            errors.AddRange(ex.Errors);
        }

        string document = options?.Document ?? "routing release";
        if (policy is null || roster is null)
        {
            throw new ModelException(document, errors.ToImmutable());
        }

        if (!RoutingPolicyCompiler.TryCompile(policy, roster, version, options as RoutingPolicyLoadOptions, out var compiled, out var compileErrors))
        {
            throw new ModelException(document, compileErrors);
        }

        return new RoutingRelease(new RoutingReleaseDefinition { Version = version, Policy = policy, Roster = roster }, compiled!);
    }

    /// <summary>Writes the release in its canonical form (indented, for people): <see cref="Parse"/> reads it back to the same <see cref="ContentHash"/>.</summary>
    /// <returns>The JSON text.</returns>
    public string Write() => RoutingReleaseJson.Write(_definition, indented: true);

    /// <summary>The release for a tenant's registry: key (tenant, <see cref="ModelKind.Routing"/>, <see cref="Id"/>, <see cref="Version"/>), the canonical JSON (<see cref="Write"/>) and <see cref="ContentHash"/>, without approvals.</summary>
    /// <param name="tenant">The tenant or business unit.</param>
    /// <returns>The release to publish.</returns>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    public ModelRelease ToModelRelease(string tenant)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        return new ModelRelease(new ReleaseKey(tenant, ModelKind.Routing, Id, Version), Write(), ContentHash);
    }
}
