using Alignment.Leads;

namespace Alignment.Policies.Lifecycle;

/// <summary>Tells the lifecycle audit who in sales holds a lead (a rep or a queue), from whichever routing state the host keeps.</summary>
/// <remarks>Implementations are thread-safe. Built in: <see cref="RoutingStateOwnerLookup"/> (the handoff router's state) and <see cref="AccountOwnerLookup"/> (the roster's account owners, then another lookup); a host whose own policy routes leads implements it over its own records.</remarks>
public interface ILeadOwnerLookup
{
    /// <summary>Finds the rep or queue that holds a lead now.</summary>
    /// <param name="leadId">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The holder, described (<c>rep ana</c>, <c>queue 'unassigned'</c>); <see langword="null"/> when sales holds no open handoff of the lead.</returns>
    ValueTask<string?> FindOwnerAsync(LeadId leadId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds the rep or queue that holds a lead now, when the caller has the lead's facts: a lookup that can use them (the owner of
    /// the lead's account, <see cref="AccountOwnerLookup"/>) does; by default this is <see cref="FindOwnerAsync(LeadId, CancellationToken)"/>.
    /// </summary>
    /// <param name="lead">The lead.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The holder, described as <see cref="FindOwnerAsync(LeadId, CancellationToken)"/> describes it; <see langword="null"/> when nobody in sales holds the lead.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lead"/> is null.</exception>
    ValueTask<string?> FindOwnerOfLeadAsync(Lead lead, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return FindOwnerAsync(lead.Id, cancellationToken);
    }
}
