namespace Alignment.Models.Registry;

/// <summary>
/// The releases of every model kind, per tenant (or business unit), with their approvals and the history of what was active when:
/// the governance record both teams share. Only a release whose current content carries a marketing and a sales approval from two
/// different people becomes active (<see cref="ModelApprovals"/>); activation and rollback are atomic, and the hosts that resolve
/// the active model from the registry take it up without a restart.
/// </summary>
/// <remarks>
/// Implementations are thread-safe, every method is atomic, and no tenant ever reads another's releases. <see cref="Activated"/>
/// tells the hosts of this process about a change; a registry shared by several processes is polled by them.
/// </remarks>
public interface IModelRegistry
{
    /// <summary>
    /// Raised after a release became active for its tenant and kind (an activation or a rollback), outside any lock. Each subscriber
    /// is called on its own and an exception it throws is ignored: the activation stands, and the other subscribers are told.
    /// </summary>
    event EventHandler<ModelActivation>? Activated;

    /// <summary>
    /// Adds a release, or replaces the content of a release with the same key that was never active (an edit: the approvals given before
    /// are kept as history and are void, because they name the earlier content hash). The release's own approvals are ignored:
    /// approvals are given with <see cref="ApproveAsync"/>.
    /// </summary>
    /// <param name="release">The release.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The release as stored, with its approval history.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="release"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The release with that key was active at some time and the content differs (publish a new version instead), or other content arrives under the hash already stored.</exception>
    ValueTask<ModelRelease> PublishAsync(ModelRelease release, CancellationToken cancellationToken = default);

    /// <summary>Records an approval of a release's current content.</summary>
    /// <param name="key">The release.</param>
    /// <param name="approval">The approval; its content hash must be the release's current one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The release with the approval (unchanged when the same person already approved this content for this side).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="approval"/> is null.</exception>
    /// <exception cref="ArgumentException">The approval names nobody or holds a refused character, or its side or hash is malformed (<see cref="ModelApprovals.Validate"/>).</exception>
    /// <exception cref="KeyNotFoundException">No release has that key.</exception>
    /// <exception cref="InvalidOperationException">The approval names other content (the release was edited since), or its approver already approved this content for the other side.</exception>
    ValueTask<ModelRelease> ApproveAsync(ReleaseKey key, ModelApproval approval, CancellationToken cancellationToken = default);

    /// <summary>Makes a release the active one of its tenant and kind, if both sides approved its current content.</summary>
    /// <param name="key">The release.</param>
    /// <param name="activatedBy">Who activates it.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The activation recorded (the current one, unchanged, when the release is already active).</returns>
    /// <exception cref="ArgumentException"><paramref name="activatedBy"/> or <paramref name="reason"/> is empty.</exception>
    /// <exception cref="KeyNotFoundException">No release has that key.</exception>
    /// <exception cref="ModelNotPublishableException">The current content lacks a side's approval, or both are by one person; lists every problem.</exception>
    ValueTask<ModelActivation> ActivateAsync(ReleaseKey key, string activatedBy, string reason, CancellationToken cancellationToken = default);

    /// <summary>
    /// Undoes the latest activation not undone yet: the release active before it becomes active again (<see cref="ModelHistory.RollbackTarget"/>;
    /// after 1.0, 2.0, 3.0 and a rollback to 2.0, the next rollback returns to 1.0, never to 3.0, which was rolled back from). The
    /// release returns exactly as it was active (a release that was ever active cannot be edited), and its approvals must still
    /// hold. A rollback repeated by the same person (ignoring case) for the same reason, with nothing in between, is a retry (a
    /// timed-out call, a re-run command): it returns the rollback already made and changes nothing.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="kind">The kind of model.</param>
    /// <param name="rolledBackBy">Who rolls back.</param>
    /// <param name="reason">Why (for example, MQL volume collapsed).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The activation recorded, marked as a rollback (the one already made, for a retry).</returns>
    /// <exception cref="ArgumentException">An argument is empty.</exception>
    /// <exception cref="InvalidOperationException">Nothing is left to roll back to.</exception>
    /// <exception cref="ModelNotPublishableException">The earlier release's approvals no longer hold.</exception>
    ValueTask<ModelActivation> RollbackAsync(string tenant, ModelKind kind, string rolledBackBy, string reason, CancellationToken cancellationToken = default);

    /// <summary>The activation in force for a tenant and kind: the active release, who activated it and its place in the history.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="kind">The kind of model.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The latest activation, or <see langword="null"/> when none was ever activated.</returns>
    ValueTask<ModelActivation?> GetActiveAsync(string tenant, ModelKind kind, CancellationToken cancellationToken = default);

    /// <summary>A release by its key.</summary>
    /// <param name="key">The release.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The release, or <see langword="null"/>.</returns>
    ValueTask<ModelRelease?> FindAsync(ReleaseKey key, CancellationToken cancellationToken = default);

    /// <summary>Every activation and rollback of a tenant and kind, oldest first.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="kind">The kind of model.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The history.</returns>
    ValueTask<IReadOnlyList<ModelActivation>> GetHistoryAsync(string tenant, ModelKind kind, CancellationToken cancellationToken = default);
}
