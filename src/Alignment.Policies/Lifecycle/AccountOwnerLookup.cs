using Alignment.Leads;
using Alignment.Policies.Handoff;

namespace Alignment.Policies.Lifecycle;

/// <summary>
/// An <see cref="ILeadOwnerLookup"/> that names the owner of the lead's account in a routing policy's roster (matched by account id,
/// then by company or e-mail domain, as the <c>accountOwner</c> routing strategy matches) and, for a lead whose account has no
/// owner, asks another lookup (typically <see cref="RoutingStateOwnerLookup"/>: the rep the lead was routed to).
/// </summary>
/// <remarks>
/// Thread-safe when the other lookup is. Used by <c>CampaignTracker.RequestPreEventCallsAsync</c>, where a pre-event call goes to
/// the invitee's account owner or, without one, to the rep the invitee was routed to. Given only a lead id (no account or domain to
/// match), it asks the other lookup. The owner is the owner of record: unlike the routing strategy, the lookup does not check the
/// rep's availability or caps (a call task waits for an owner who is away; the host reassigns it if it must).
/// </remarks>
/// <example>
/// <code>
/// var owners = new AccountOwnerLookup(policy, new RoutingStateOwnerLookup(routingStore));
/// await tracker.RequestPreEventCallsAsync(eventStartsAt, owners);
/// </code>
/// </example>
public sealed class AccountOwnerLookup : ILeadOwnerLookup
{
    private readonly CompiledRoutingPolicy _policy;
    private readonly ILeadOwnerLookup? _otherwise;

    /// <summary>Creates the lookup.</summary>
    /// <param name="policy">The compiled routing policy whose roster lists the account owners.</param>
    /// <param name="otherwise">Asked for a lead whose account has no owner; <see langword="null"/> to name account owners only.</param>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    public AccountOwnerLookup(CompiledRoutingPolicy policy, ILeadOwnerLookup? otherwise = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _otherwise = otherwise;
    }

    /// <inheritdoc />
    /// <remarks>A lead id alone matches no account: the other lookup answers, or <see langword="null"/> without one.</remarks>
    public ValueTask<string?> FindOwnerAsync(LeadId leadId, CancellationToken cancellationToken = default) =>
        _otherwise is null ? ValueTask.FromResult<string?>(null) : _otherwise.FindOwnerAsync(leadId, cancellationToken);

    /// <inheritdoc />
    /// <remarks>The account owner is described as <c>rep ana (account owner)</c>.</remarks>
    public ValueTask<string?> FindOwnerOfLeadAsync(Lead lead, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);
        cancellationToken.ThrowIfCancellationRequested();
        if (_policy.FindAccountOwner(lead) is { } owner)
        {
            return ValueTask.FromResult<string?>($"rep {owner} (account owner)");
        }

        return _otherwise is null ? ValueTask.FromResult<string?>(null) : _otherwise.FindOwnerOfLeadAsync(lead, cancellationToken);
    }
}
