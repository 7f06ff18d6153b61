using System.Runtime.CompilerServices;
using Alignment.Decisions;
using Alignment.Leads;
using Alignment.Orleans.Grains;
using Alignment.Policies.Nurture.Campaigns;
using Orleans;

namespace Alignment.Orleans.Campaigns;

/// <summary>
/// An <see cref="ICampaignStore"/> whose memberships live in an Orleans cluster: one grain per lead and campaign, the only writer of
/// that membership (two hosts updating it at once are ordered by the grain; the loser's version no longer matches), one grain per
/// campaign for its close time, and 16 partition grains per campaign listing its members.
/// </summary>
/// <remarks>
/// <para>Thread-safe. Of the member's lead, the store keeps the id and the facts routing and nurture read (account id, the
/// company's country, region and domain, the person's language, the source), as the PostgreSQL store does; times keep their ticks
/// and offset exactly. Members are listed in ordinal order of the lead id.</para>
/// <para>The store does not record decisions (<see cref="ICampaignStore.RecordsDecisions"/> is false): the campaign tracker publishes
/// each campaign decision once the store says it saved it.</para>
/// </remarks>
public sealed class OrleansCampaignStore : ICampaignStore
{
    private readonly IGrainFactory _grains;
    private readonly string _tenant;

    /// <summary>Creates a store over a cluster.</summary>
    /// <param name="grains">The cluster client's (or a silo's) grain factory.</param>
    /// <param name="tenant">The tenant whose campaigns this store reads and writes; other tenants' grains are never touched.</param>
    /// <exception cref="ArgumentNullException"><paramref name="grains"/> or <paramref name="tenant"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="tenant"/> is empty.</exception>
    public OrleansCampaignStore(IGrainFactory grains, string tenant = "default")
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        _grains = grains;
        _tenant = tenant;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="member"/> is null.</exception>
    public async ValueTask<bool> TryAddMemberAsync(CampaignMember member, AlignmentDecision? decision = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        cancellationToken.ThrowIfCancellationRequested();
        return await Member(member.Campaign, member.Lead.Id.Value).TryAddAsync(MemberRecord.From(member, 1)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="campaign"/> is null.</exception>
    public async ValueTask<CampaignMember?> FindMemberAsync(string campaign, LeadId leadId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        cancellationToken.ThrowIfCancellationRequested();
        var record = await Member(campaign, leadId.Value).GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        return record?.ToMember();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="member"/> is null.</exception>
    public async ValueTask<bool> TryUpdateMemberAsync(CampaignMember member, int expectedVersion, AlignmentDecision? decision = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        cancellationToken.ThrowIfCancellationRequested();
        return await Member(member.Campaign, member.Lead.Id.Value).TryUpdateAsync(MemberRecord.From(member, expectedVersion + 1), expectedVersion).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="campaign"/> is null.</exception>
    public IAsyncEnumerable<CampaignMember> ListMembersAsync(string campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return ListAsync(campaign, cancellationToken);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="campaign"/> is null.</exception>
    public async ValueTask<DateTimeOffset> CloseAsync(string campaign, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        cancellationToken.ThrowIfCancellationRequested();
        return await Campaign(campaign).CloseAsync(at).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="campaign"/> is null.</exception>
    public async ValueTask<DateTimeOffset?> FindClosedAtAsync(string campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        cancellationToken.ThrowIfCancellationRequested();
        return await Campaign(campaign).GetClosedAtAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<CampaignMember> ListAsync(string campaign, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var lists = await Task.WhenAll(Enumerable.Range(0, OrleansIndexes.Partitions)
            .Select(p => _grains.GetGrain<IIdIndexGrain>(OrleansIndexes.Members(_tenant, campaign, p)).ListAsync())).WaitAsync(cancellationToken).ConfigureAwait(false);
        var leads = lists.SelectMany(l => l).ToArray();
        Array.Sort(leads, StringComparer.Ordinal);
        foreach (var lead in leads)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (await Member(campaign, lead).GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false) is { } record)
            {
                yield return record.ToMember();
            }
        }
    }

    private ICampaignMemberGrain Member(string campaign, string lead) =>
        _grains.GetGrain<ICampaignMemberGrain>(AlignmentOrleans.Key(_tenant, AlignmentOrleans.Key(campaign, lead)));

    private ICampaignGrain Campaign(string campaign) => _grains.GetGrain<ICampaignGrain>(AlignmentOrleans.Key(_tenant, campaign));
}
