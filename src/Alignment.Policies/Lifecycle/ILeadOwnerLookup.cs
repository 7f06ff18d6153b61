using Alignment.Leads;

namespace Alignment.Policies.Lifecycle;

/// <summary>Tells the lifecycle audit who in sales holds a lead (a rep or a queue), from whichever routing state the host keeps.</summary>
/// <remarks>Implementations are thread-safe. Built in: <see cref="RoutingStateOwnerLookup"/> (the handoff router's state); a host whose own policy routes leads implements it over its own records.</remarks>
public interface ILeadOwnerLookup
{
    /// <summary>Finds the rep or queue that holds a lead now.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The holder, described (<c>rep ana</c>, <c>queue 'unassigned'</c>); <see langword="null"/> when sales holds no open handoff of the lead.</returns>
    ValueTask<string?> FindOwnerAsync(LeadId leadId, CancellationToken cancellationToken = default);
}
