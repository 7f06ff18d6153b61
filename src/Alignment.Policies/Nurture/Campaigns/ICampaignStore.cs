using Alignment.Decisions;
using Alignment.Leads;

namespace Alignment.Policies.Nurture.Campaigns;

/// <summary>
/// Durable campaign membership for <see cref="CampaignTracker"/>: who was invited, registered and attended, whether the campaign
/// closed, and what its close did for each member, so a host that restarts mid-campaign still follows up every no-show.
/// </summary>
/// <remarks>Implementations are thread-safe, and every method is atomic.</remarks>
public interface ICampaignStore
{
    /// <summary>
    /// Whether the store writes the <see cref="AlignmentDecision.CampaignChanged"/> handed to <see cref="TryAddMemberAsync"/> and
    /// <see cref="TryUpdateMemberAsync"/> into an <see cref="IDecisionOutbox"/> in the same unit of work as the change (key
    /// <see cref="DecisionKeys.For(AlignmentDecision)"/>). When <see langword="true"/>, the <see cref="CampaignTracker"/> publishes
    /// none itself: a <see cref="DecisionRelay"/> delivers them. <see langword="false"/> by default.
    /// </summary>
    bool RecordsDecisions => false;

    /// <summary>Adds a member unless the lead is already a member of that campaign.</summary>
    /// <param name="member">The member; it is stored with <see cref="CampaignMember.Version"/> 1.</param>
    /// <param name="decision">The decision the change makes (the invitation), recorded with it by a store that <see cref="RecordsDecisions"/>; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when added; <see langword="false"/> when the lead was already a member.</returns>
    ValueTask<bool> TryAddMemberAsync(CampaignMember member, AlignmentDecision? decision = null, CancellationToken cancellationToken = default);

    /// <summary>Finds a member.</summary>
    /// <param name="campaign">The campaign.</param>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The member, or <see langword="null"/> when the lead is not a member.</returns>
    ValueTask<CampaignMember?> FindMemberAsync(string campaign, LeadId leadId, CancellationToken cancellationToken = default);

    /// <summary>Replaces a member if the stored one is still at <paramref name="expectedVersion"/>.</summary>
    /// <param name="member">The new state; it is stored with version <paramref name="expectedVersion"/> + 1.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="decision">The decision the change makes (registered, attended, a close outcome, a follow-up), recorded with it by a store that <see cref="RecordsDecisions"/>; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when saved; <see langword="false"/> when another writer got there first or the member does not exist.</returns>
    ValueTask<bool> TryUpdateMemberAsync(CampaignMember member, int expectedVersion, AlignmentDecision? decision = null, CancellationToken cancellationToken = default);

    /// <summary>Lists a campaign's members, ordered by lead id (ordinal).</summary>
    /// <param name="campaign">The campaign.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The members.</returns>
    IAsyncEnumerable<CampaignMember> ListMembersAsync(string campaign, CancellationToken cancellationToken = default);

    /// <summary>Marks a campaign closed, once.</summary>
    /// <param name="campaign">The campaign.</param>
    /// <param name="at">When it closed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>When the campaign closed: <paramref name="at"/> for the first caller, the earlier time for every later one.</returns>
    ValueTask<DateTimeOffset> CloseAsync(string campaign, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Finds when a campaign closed.</summary>
    /// <param name="campaign">The campaign.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The close time, or <see langword="null"/> while it is open.</returns>
    ValueTask<DateTimeOffset?> FindClosedAtAsync(string campaign, CancellationToken cancellationToken = default);
}
