namespace Alignment.Models.Registry;

/// <summary>
/// The rules an <see cref="IModelRegistry"/> applies to a tenant's activation history of one kind, for every implementation (the
/// registries of this SDK and a host's own): what a rollback returns to, when a rollback is the retry of one already made, and
/// which releases were ever active (their content is frozen).
/// </summary>
public static class ModelHistory
{
    /// <summary>
    /// The release a rollback makes active: the history is replayed as a stack (an activation puts its release on top, a rollback
    /// takes the top off), so a rollback undoes the latest activation not undone yet and never returns to a release that was
    /// rolled back from. After 1.0, 2.0, 3.0 and a rollback (to 2.0), the next rollback returns to 1.0, not to 3.0.
    /// </summary>
    /// <param name="history">The tenant's history of the kind, oldest first.</param>
    /// <returns>The key to activate, or <see langword="null"/> when nothing is left to roll back to.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> is null.</exception>
    public static ReleaseKey? RollbackTarget(IReadOnlyList<ModelActivation> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var stack = new List<ReleaseKey>(history.Count);
        foreach (var entry in history)
        {
            if (!entry.IsRollback)
            {
                stack.Add(entry.Key);
                continue;
            }

            // A rollback took the top off and left its release on top; a history written under another rule restarts from it.
            int at = stack.Count - 2;
            while (at >= 0 && stack[at] != entry.Key)
            {
                at--;
            }

            if (at >= 0)
            {
                stack.RemoveRange(at + 1, stack.Count - at - 1);
            }
            else
            {
                stack.Clear();
                stack.Add(entry.Key);
            }
        }

        return stack.Count >= 2 ? stack[^2] : null;
    }

    /// <summary>
    /// The rollback a call repeats: the latest entry is a rollback by the same person (names compared as approvals compare them,
    /// ignoring case) for the same reason, so the call is a retry (a timed-out call, a re-run command) and must change nothing.
    /// </summary>
    /// <param name="history">The tenant's history of the kind, oldest first.</param>
    /// <param name="rolledBackBy">Who rolls back.</param>
    /// <param name="reason">Why.</param>
    /// <returns>The rollback already made, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> is null.</exception>
    public static ModelActivation? FindRetriedRollback(IReadOnlyList<ModelActivation> history, string rolledBackBy, string reason)
    {
        ArgumentNullException.ThrowIfNull(history);
        return history.Count > 0 && history[^1] is { IsRollback: true } done
            && string.Equals(done.ActivatedBy, rolledBackBy, StringComparison.OrdinalIgnoreCase) && done.Reason == reason ? done : null;
    }

    /// <summary>Whether a release was ever active for its tenant: its content is then frozen (an edit is a new version), so a rollback returns to exactly what was active.</summary>
    /// <param name="history">The tenant's history of the release's kind.</param>
    /// <param name="key">The release.</param>
    /// <returns><see langword="true"/> when some entry activated it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="history"/> is null.</exception>
    public static bool WasActive(IReadOnlyList<ModelActivation> history, ReleaseKey key)
    {
        ArgumentNullException.ThrowIfNull(history);
        foreach (var entry in history)
        {
            if (entry.Key == key)
            {
                return true;
            }
        }

        return false;
    }
}
