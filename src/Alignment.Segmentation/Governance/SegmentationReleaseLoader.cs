using System.Diagnostics.CodeAnalysis;
using Alignment.Models;
using Alignment.Models.Registry;
using Alignment.Segmentation.Rules;

namespace Alignment.Segmentation.Governance;

/// <summary>
/// Compiles segmentation releases of a <see cref="IModelRegistry"/> (<see cref="ModelKind.Segmentation"/>) for
/// <see cref="ActiveModels{TModel}"/>: the content must load as a segmentation model and hash to the content hash approved
/// (<see cref="SegmentationModel.ContentHash"/>).
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class SegmentationReleaseLoader : IModelReleaseLoader<SegmentationModel>
{
    private readonly SegmentationLoadOptions? _options;

    /// <summary>Creates the loader.</summary>
    /// <param name="options">The attribute schema, overlap handling, meter factory and read limits the models load with; <see langword="null"/> for the defaults.</param>
    public SegmentationReleaseLoader(SegmentationLoadOptions? options = null) => _options = options;

    /// <inheritdoc />
    public ModelKind Kind => ModelKind.Segmentation;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="release"/> is null.</exception>
    public bool TryLoad(ModelRelease release, [NotNullWhen(true)] out SegmentationModel? model, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (!SegmentationModel.TryLoad(release.Content, _options, out var loaded, out var errors))
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
    /// Builds the registry release of a segmentation model for a tenant: the JSON as given, keyed by the model's id and version, with
    /// the content hash of its parsed document (the hash both teams approve).
    /// </summary>
    /// <param name="tenant">The tenant or business unit the release is for.</param>
    /// <param name="json">The model document (for example a file's text).</param>
    /// <param name="options">The attribute schema and read limits the model is checked with; <see langword="null"/> for the defaults.</param>
    /// <returns>The release, to publish with <see cref="IModelRegistry.PublishAsync"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty, or the model has no version (a release needs one).</exception>
    /// <exception cref="ModelException">The document is invalid; lists every problem with its JSON path.</exception>
    public static ModelRelease CreateRelease(string tenant, string json, SegmentationLoadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        var model = SegmentationModel.Load(json, options);
        if (string.IsNullOrWhiteSpace(model.Version))
        {
            throw new ArgumentException($"Segmentation model '{model.Id}' has no version; a registry release needs one (set \"version\" in the document).", nameof(json));
        }

        return new ModelRelease(new ReleaseKey(tenant, ModelKind.Segmentation, model.Id, model.Version), json, model.ContentHash);
    }
}
