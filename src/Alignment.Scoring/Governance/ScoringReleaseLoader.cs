using System.Diagnostics.CodeAnalysis;
using Alignment.Models.Registry;

namespace Alignment.Scoring.Governance;

/// <summary>
/// Compiles scoring releases of a <see cref="IModelRegistry"/> (<see cref="ModelKind.Scoring"/>) for <see cref="ActiveModels{TModel}"/>:
/// the content must load as a scoring model (or release) and hash to the content hash approved.
/// </summary>
public sealed class ScoringReleaseLoader : IModelReleaseLoader<ScoringModel>
{
    private readonly ScoringModelOptions? _options;

    /// <summary>Creates the loader.</summary>
    /// <param name="options">The attribute schema and plugin rules the models compile against; <see langword="null"/> for none.</param>
    public ScoringReleaseLoader(ScoringModelOptions? options = null) => _options = options;

    /// <inheritdoc />
    public ModelKind Kind => ModelKind.Scoring;

    /// <inheritdoc />
    public bool TryLoad(ModelRelease release, [NotNullWhen(true)] out ScoringModel? model, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(release);
        if (!ScoringModel.TryLoad(release.Content, _options, out var loaded, out var errors))
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
}
