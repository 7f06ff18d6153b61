namespace Alignment.Models.Registry;

/// <summary>
/// What a host follows of a <see cref="IModelRegistry"/> for one model kind, seen without its model type: the production runtime
/// (<c>AddAlignmentWorker</c>) refreshes every registered one from the registry, so an activation made by another process takes
/// effect here without a restart. <see cref="ActiveModels{TModel}"/> implements it.
/// </summary>
public interface IActiveModels
{
    /// <summary>The kind of model followed.</summary>
    ModelKind Kind { get; }

    /// <summary>The tenants whose model this host has taken up (a snapshot).</summary>
    IReadOnlyCollection<string> Tenants { get; }

    /// <summary>Reads the tenant's active release from the registry and takes it up if it is later than the one in use.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Why the active release was not taken up; empty when it was, when it already was in use, or when none is active.</returns>
    ValueTask<IReadOnlyList<string>> RefreshAsync(string tenant, CancellationToken cancellationToken = default);
}
