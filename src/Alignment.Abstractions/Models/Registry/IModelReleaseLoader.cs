using System.Diagnostics.CodeAnalysis;

namespace Alignment.Models.Registry;

/// <summary>
/// Turns a release of one model kind into the compiled model a host runs (a scoring model, a segmentation model, a routing policy
/// with its roster, a nurture policy), checking that the content loads and is the content approved: <see cref="ActiveModels{TModel}"/>
/// uses it to take up each activation. Each engine package provides the loader of its kind.
/// </summary>
/// <typeparam name="TModel">The compiled model.</typeparam>
public interface IModelReleaseLoader<TModel>
    where TModel : class
{
    /// <summary>The kind of release this loader reads.</summary>
    ModelKind Kind { get; }

    /// <summary>Compiles a release.</summary>
    /// <param name="release">The release, of <see cref="Kind"/>.</param>
    /// <param name="model">The compiled model, when it loads and its content hash is the release's.</param>
    /// <param name="problems">Why it did not load (a JSON path and message per problem, or the hash it loads to); empty when it did.</param>
    /// <returns><see langword="true"/> when <paramref name="model"/> was compiled.</returns>
    bool TryLoad(ModelRelease release, [NotNullWhen(true)] out TModel? model, out IReadOnlyList<string> problems);
}
