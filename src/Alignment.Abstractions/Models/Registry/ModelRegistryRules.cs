namespace Alignment.Models.Registry;

/// <summary>
/// The rules of <see cref="IModelRegistry"/> on releases and histories already read, shared by the registries that hold them as
/// objects (<see cref="InMemoryModelRegistry"/>, <see cref="FileModelRegistry"/>): each method either answers with the new state or
/// throws the contract's exception, and changes nothing itself.
/// </summary>
internal static class ModelRegistryRules
{
    /// <summary>The release to store for a publish, or <paramref name="existing"/> itself when nothing changes.</summary>
    /// <param name="existing">The release stored under the key, if any.</param>
    /// <param name="release">The release published.</param>
    /// <param name="history">The tenant's history of the kind, oldest first.</param>
    /// <returns>The release to store (reference-equal to <paramref name="existing"/> when the same content is published again).</returns>
    /// <exception cref="InvalidOperationException">Other content under the stored hash, or an edit of a release that was ever active.</exception>
    public static ModelRelease Publish(ModelRelease? existing, ModelRelease release, IReadOnlyList<ModelActivation> history)
    {
        if (existing is not null)
        {
            if (existing.ContentHash == release.ContentHash && existing.Content == release.Content)
            {
                return existing;
            }

            if (existing.ContentHash == release.ContentHash)
            {
                throw new InvalidOperationException($"{release.Key}: other content under the same content hash {ModelApprovals.Short(release.ContentHash)}; the hash must be computed from the content (approvals name it).");
            }

            if (ModelHistory.WasActive(history, release.Key))
            {
                throw new InvalidOperationException(EditOfActivated(release.Key));
            }
        }

        return new ModelRelease(release.Key, release.Content, release.ContentHash) { Approvals = existing?.Approvals ?? [] };
    }

    /// <summary>The release with <paramref name="approval"/> added, or <paramref name="release"/> itself when the same person already approved this content for this side.</summary>
    /// <param name="release">The release as stored.</param>
    /// <param name="approval">The approval, already validated (<see cref="ModelApprovals.Validate"/>).</param>
    /// <returns>The release to store.</returns>
    /// <exception cref="InvalidOperationException">The approval names other content, or its approver approved this content for the other side.</exception>
    public static ModelRelease Approve(ModelRelease release, ModelApproval approval)
    {
        var key = release.Key;
        if (approval.ContentHash != release.ContentHash)
        {
            throw new InvalidOperationException($"{key}: the approval by {approval.ApprovedBy} names content {ModelApprovals.Short(approval.ContentHash)}, but the release's content is {ModelApprovals.Short(release.ContentHash)} (it was edited); review and approve the current content.");
        }

        foreach (var a in release.Approvals)
        {
            if (a.ContentHash == release.ContentHash && string.Equals(a.ApprovedBy, approval.ApprovedBy, StringComparison.OrdinalIgnoreCase))
            {
                if (a.Side == approval.Side)
                {
                    return release;
                }

                throw new InvalidOperationException($"{key}: {approval.ApprovedBy} already approved content {ModelApprovals.Short(release.ContentHash)} for {ModelApprovals.SideName(a.Side)}; the {ModelApprovals.SideName(approval.Side)} approval must come from someone else.");
            }
        }

        return release with { Approvals = release.Approvals.Add(approval) };
    }

    /// <summary>The latest activation when it already activated <paramref name="release"/> with its current content (activating again changes nothing).</summary>
    /// <param name="history">The tenant's history of the kind, oldest first.</param>
    /// <param name="release">The release to activate.</param>
    /// <returns>The latest activation, or <see langword="null"/> when the release must be activated.</returns>
    public static ModelActivation? AlreadyActive(IReadOnlyList<ModelActivation> history, ModelRelease release) =>
        history.Count > 0 && history[^1].Key == release.Key && history[^1].ContentHash == release.ContentHash ? history[^1] : null;

    /// <summary>
    /// The rollback a call repeats, when the latest entry is a rollback by the same person for the same reason (a timed-out call or a
    /// re-run command): returned instead of rolling back a second time, which would return to the release just rolled back from.
    /// </summary>
    /// <param name="history">The tenant's history of the kind, oldest first.</param>
    /// <param name="by">Who rolls back.</param>
    /// <param name="reason">Why.</param>
    /// <returns>The rollback already made, or <see langword="null"/>.</returns>
    public static ModelActivation? RetriedRollback(IReadOnlyList<ModelActivation> history, string by, string reason) =>
        ModelHistory.FindRetriedRollback(history, by, reason);

    /// <summary>The message refusing an edit of a release that was active.</summary>
    /// <param name="key">The release.</param>
    /// <returns>The message.</returns>
    public static string EditOfActivated(ReleaseKey key) =>
        $"{key} was active; its content cannot change (a rollback returns to exactly what was active). Publish the edit as a new version and activate that.";

    /// <summary>The message refusing a rollback with nothing to return to.</summary>
    /// <param name="history">The tenant's history of the kind.</param>
    /// <param name="tenant">The tenant.</param>
    /// <param name="kind">The kind.</param>
    /// <returns>The message.</returns>
    public static string NothingToRollBackTo(IReadOnlyList<ModelActivation> history, string tenant, ModelKind kind) =>
        $"{kind} model of tenant '{tenant}': nothing was active before {(history.Count > 0 ? $"{history[^1].Key.Id}@{history[^1].Key.Version}" : "now")} that a rollback has not undone already; there is nothing to roll back to.";

    /// <summary>The key of the release a rollback activates (<see cref="ModelHistory.RollbackTarget"/>).</summary>
    /// <param name="history">The tenant's history of the kind, oldest first.</param>
    /// <param name="tenant">The tenant, for the message.</param>
    /// <param name="kind">The kind, for the message.</param>
    /// <returns>The key.</returns>
    /// <exception cref="InvalidOperationException">Nothing is left to roll back to.</exception>
    public static ReleaseKey RollbackTarget(IReadOnlyList<ModelActivation> history, string tenant, ModelKind kind) =>
        ModelHistory.RollbackTarget(history) ?? throw new InvalidOperationException(NothingToRollBackTo(history, tenant, kind));

    /// <summary>The next entry of a history, if the release's current content carries both approvals.</summary>
    /// <param name="release">The release to activate.</param>
    /// <param name="by">Who activates it.</param>
    /// <param name="reason">Why.</param>
    /// <param name="isRollback">Whether it is a rollback.</param>
    /// <param name="sequence">The entry's number (the history's length plus one).</param>
    /// <param name="at">When.</param>
    /// <returns>The activation.</returns>
    /// <exception cref="ModelNotPublishableException">The release lacks an approval; lists every problem.</exception>
    public static ModelActivation Activation(ModelRelease release, string by, string reason, bool isRollback, long sequence, DateTimeOffset at)
    {
        var problems = release.ActivationProblems;
        if (!problems.IsEmpty)
        {
            throw new ModelNotPublishableException(release.Key.ToString(), problems);
        }

        return new ModelActivation(release, by, at, reason, isRollback, sequence);
    }

    /// <summary>The exception for a key that was never published.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The exception.</returns>
    public static KeyNotFoundException NotPublished(ReleaseKey key) => new($"{key} was never published to this registry.");

    /// <summary>Tells every subscriber, each on its own: the activation stands whatever a subscriber does, so none can hide it from the others.</summary>
    /// <param name="handlers">The subscribers.</param>
    /// <param name="sender">The registry.</param>
    /// <param name="activation">The activation made.</param>
    public static void Raise(EventHandler<ModelActivation>? handlers, object sender, ModelActivation activation) =>
        EventRaising.RaiseEach(handlers, sender, activation);
}
