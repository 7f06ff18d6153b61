using System.Diagnostics.CodeAnalysis;
using Alignment.Models;
using Alignment.Models.Registry;

namespace Alignment.Policies.Handoff;

/// <summary>
/// Compiles routing releases of a <see cref="IModelRegistry"/> (<see cref="ModelKind.Routing"/>) for <see cref="ActiveModels{TModel}"/>:
/// the content must read and compile as a <see cref="RoutingRelease"/>, hash to the content hash approved, and name the release's
/// id and version. The compiled policy's <see cref="CompiledRoutingPolicy.Model"/> names the release.
/// </summary>
public sealed class RoutingReleaseLoader : IModelReleaseLoader<CompiledRoutingPolicy>
{
    private readonly ModelLoadOptions? _options;

    /// <summary>Creates the loader.</summary>
    /// <param name="options">The limits of a release document; <see langword="null"/> for the defaults. A <see cref="RoutingPolicyLoadOptions"/> also gives the plugin strategies and conditions a release's rules may name: a release naming one it lacks is not taken up, the problem naming its JSON path.</param>
    public RoutingReleaseLoader(ModelLoadOptions? options = null) => _options = options;

    /// <inheritdoc />
    public ModelKind Kind => ModelKind.Routing;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="release"/> is null.</exception>
    public bool TryLoad(ModelRelease release, [NotNullWhen(true)] out CompiledRoutingPolicy? model, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(release);
        model = null;
        if (!RoutingRelease.TryParse(release.Content, _options, out var loaded, out var errors))
        {
            problems = [.. errors.Select(e => e.ToString())];
            return false;
        }

        var mismatches = new List<string>();
        if (loaded.ContentHash != release.ContentHash)
        {
            mismatches.Add($"the content loads to hash {loaded.ContentHash[..12]}, but the release names {release.ContentHash[..12]}");
        }

        if (loaded.Id != release.Key.Id || loaded.Version != release.Key.Version)
        {
            mismatches.Add($"the content is routing policy {loaded.Id}@{loaded.Version}, but the release is {release.Key.Id}@{release.Key.Version}");
        }

        if (mismatches.Count > 0)
        {
            problems = mismatches;
            return false;
        }

        model = loaded.Policy;
        problems = [];
        return true;
    }
}
