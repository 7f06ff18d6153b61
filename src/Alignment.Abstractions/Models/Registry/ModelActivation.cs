namespace Alignment.Models.Registry;

/// <summary>An entry of a tenant's activation history for one model kind: which release became active, by whom, when and why.</summary>
/// <param name="Release">The release that became active, as it was then (its content and approvals).</param>
/// <param name="ActivatedBy">Who activated it.</param>
/// <param name="At">When.</param>
/// <param name="Reason">Why, in the words of the person who did it.</param>
/// <param name="IsRollback">Whether this was a rollback to the release active before.</param>
/// <param name="Sequence">The entry's number in the tenant's history of this kind, from 1: a later activation has a higher one.</param>
public sealed record ModelActivation(ModelRelease Release, string ActivatedBy, DateTimeOffset At, string Reason, bool IsRollback, long Sequence)
{
    /// <summary>The release's key.</summary>
    public ReleaseKey Key => Release.Key;

    /// <summary>The content hash the release was activated with (the hash its decisions carry).</summary>
    public string ContentHash => Release.ContentHash;
}
