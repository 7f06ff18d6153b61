using Alignment.Models.Registry;

namespace Alignment.Models.Challengers;

/// <summary>
/// A tenant's challenger as a ledger records it: the candidate release, the champion it is compared with (the active release and
/// its activation sequence), and when and by whom it was attached. <see cref="Challenger"/> and <see cref="AttachedAt"/> identify the
/// comparison: a batch recorded for another attachment (an earlier one, or one detached meanwhile) is not taken.
/// </summary>
/// <param name="Challenger">The candidate release (a scoring release of the tenant).</param>
/// <param name="Champion">The release active for the tenant that the candidate is compared with.</param>
/// <param name="ChampionSequence">The activation sequence of <paramref name="Champion"/> (<see cref="ModelActivation.Sequence"/>).</param>
/// <param name="AttachedAt">When the challenger was attached.</param>
/// <param name="AttachedBy">Who attached it.</param>
public sealed record ChallengerAttachment(ReleaseKey Challenger, ReleaseKey Champion, long ChampionSequence, DateTimeOffset AttachedAt, string AttachedBy)
{
    /// <summary>The tenant (the challenger's).</summary>
    public string Tenant => Challenger.Tenant;

    /// <summary>Whether <paramref name="other"/> is the same attachment (same challenger attached at the same instant), whatever its champion.</summary>
    /// <param name="other">The other attachment.</param>
    /// <returns><see langword="true"/> when both name the same comparison.</returns>
    public bool IsSameAttachment(ChallengerAttachment? other) =>
        other is not null && other.Challenger == Challenger && other.AttachedAt.UtcTicks == AttachedAt.UtcTicks;
}
