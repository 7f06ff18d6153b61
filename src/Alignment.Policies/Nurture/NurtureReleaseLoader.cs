using System.Diagnostics.CodeAnalysis;
using Alignment.Models;
using Alignment.Models.Registry;

namespace Alignment.Policies.Nurture;

/// <summary>
/// Compiles nurture releases of a <see cref="IModelRegistry"/> (<see cref="ModelKind.Nurture"/>) for
/// <see cref="ActiveModels{TModel}"/>: the content must load as a nurture policy and hash to the content hash approved
/// (<see cref="NurturePolicy.ContentHash"/>).
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class NurtureReleaseLoader : IModelReleaseLoader<NurturePolicy>
{
    private readonly ModelLoadOptions? _options;

    /// <summary>Creates the loader.</summary>
    /// <param name="options">The read limits the policies load with; <see langword="null"/> for the defaults.</param>
    public NurtureReleaseLoader(ModelLoadOptions? options = null) => _options = options;

    /// <inheritdoc />
    public ModelKind Kind => ModelKind.Nurture;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="release"/> is null.</exception>
    public bool TryLoad(ModelRelease release, [NotNullWhen(true)] out NurturePolicy? model, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (!NurturePolicy.TryLoad(release.Content, _options, out var loaded, out var errors))
        {
            model = null;
            problems = [.. errors.Select(e => e.ToString())];
            return false;
        }

        var mismatches = release.Mismatches(loaded.Id, loaded.Version, loaded.ContentHash);
        if (mismatches.Count > 0)
        {
            model = null;
            problems = mismatches;
            return false;
        }

        model = loaded;
        problems = [];
        return true;
    }

    /// <summary>
    /// Builds the registry release of a nurture policy for a tenant: the JSON as given, keyed by the policy's id and version, with the
    /// content hash of its parsed document (the hash both teams approve).
    /// </summary>
    /// <param name="tenant">The tenant or business unit the release is for.</param>
    /// <param name="json">The policy document (for example a file's text).</param>
    /// <param name="options">The read limits the policy is checked with; <see langword="null"/> for the defaults.</param>
    /// <returns>The release, to publish with <see cref="IModelRegistry.PublishAsync"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    /// <exception cref="ModelException">The policy is invalid; lists every problem with its JSON path.</exception>
    public static ModelRelease CreateRelease(string tenant, string json, ModelLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        var policy = NurturePolicy.Load(json, options);
        return new ModelRelease(new ReleaseKey(tenant, ModelKind.Nurture, policy.Id, policy.Version), json, policy.ContentHash);
    }
}
