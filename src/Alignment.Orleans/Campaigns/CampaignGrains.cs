using Alignment.Leads;
using Alignment.Orleans.Grains;
using Alignment.Policies.Nurture.Campaigns;
using Alignment.Segmentation;
using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Alignment.Orleans.Campaigns;

/// <summary>
/// A campaign member as its grain keeps it: of the lead, only its id and the facts routing and nurture read (as the PostgreSQL
/// campaign store keeps them), and every field of the membership, times exactly (ticks and offset).
/// </summary>
[GenerateSerializer]
[Alias("alignment.campaign-member.v1")]
internal sealed class MemberRecord
{
    [Id(0)] public string Campaign { get; set; } = "";
    [Id(1)] public string Lead { get; set; } = "";
    [Id(2)] public string? AccountId { get; set; }
    [Id(3)] public string? Country { get; set; }
    [Id(4)] public string? Region { get; set; }
    [Id(5)] public string? Domain { get; set; }
    [Id(6)] public string? Language { get; set; }
    [Id(7)] public string? Source { get; set; }
    [Id(8)] public string? Segment { get; set; }
    [Id(9)] public int Status { get; set; }
    [Id(10)] public int Version { get; set; }
    [Id(11)] public string? NoShowEnrolmentId { get; set; }
    [Id(12)] public DateTimeOffset? FollowUpDueAt { get; set; }
    [Id(13)] public DateTimeOffset? FollowedUpAt { get; set; }
    [Id(14)] public DateTimeOffset? ClosedAt { get; set; }
    [Id(15)] public string? NoShowSkippedReason { get; set; }
    [Id(16)] public DateTimeOffset? PreEventCallDueAt { get; set; }
    [Id(17)] public string? PreEventCallOwner { get; set; }
    [Id(18)] public DateTimeOffset? PreEventCalledAt { get; set; }
    [Id(19)] public string[] Interests { get; set; } = [];

    public static MemberRecord From(CampaignMember m, int version) => new()
    {
        Campaign = m.Campaign,
        Lead = m.Lead.Id.Value,
        AccountId = m.Lead.AccountId?.Value,
        Country = m.Lead.Company.Country,
        Region = m.Lead.Company.Region,
        Domain = m.Lead.Company.Domain,
        Language = m.Lead.Person.Language,
        Source = m.Lead.Source,
        Segment = m.Segment?.Value,
        Status = (int)m.Status,
        Version = version,
        NoShowEnrolmentId = m.NoShowEnrolmentId,
        FollowUpDueAt = m.FollowUpDueAt,
        FollowedUpAt = m.FollowedUpAt,
        ClosedAt = m.ClosedAt,
        NoShowSkippedReason = m.NoShowSkippedReason,
        PreEventCallDueAt = m.PreEventCallDueAt,
        PreEventCallOwner = m.PreEventCallOwner,
        PreEventCalledAt = m.PreEventCalledAt,
        Interests = m.Interests.IsDefault ? [] : [.. m.Interests],
    };

    public CampaignMember ToMember() => new(Campaign, new Lead(new LeadId(Lead))
    {
        AccountId = AccountId is null ? null : new AccountId(AccountId),
        Company = new CompanyProfile { Country = Country, Region = Region, Domain = Domain },
        Person = new PersonProfile { Language = Language },
        Source = Source,
    })
    {
        Segment = Segment is null ? null : new SegmentId(Segment),
        Status = (CampaignMemberStatus)Status,
        Version = Version,
        NoShowEnrolmentId = NoShowEnrolmentId,
        FollowUpDueAt = FollowUpDueAt,
        FollowedUpAt = FollowedUpAt,
        ClosedAt = ClosedAt,
        NoShowSkippedReason = NoShowSkippedReason,
        PreEventCallDueAt = PreEventCallDueAt,
        PreEventCallOwner = PreEventCallOwner,
        PreEventCalledAt = PreEventCalledAt,
        Interests = [.. Interests],
    };
}

/// <summary>The saved state of a <see cref="CampaignMemberGrain"/>.</summary>
[GenerateSerializer]
[Alias("alignment.campaign-member-state.v1")]
internal sealed class MemberState
{
    [Id(0)] public MemberRecord? Member { get; set; }
}

/// <summary>One lead's membership of one campaign (key: the tenant, then the campaign and the lead): the only writer of it.</summary>
[Alias("alignment.campaign-member")]
internal interface ICampaignMemberGrain : IGrainWithStringKey
{
    [Alias("get")]
    [ReadOnly]
    Task<MemberRecord?> GetAsync();

    /// <summary>Adds the member at version 1 unless the lead is a member already.</summary>
    [Alias("try-add")]
    Task<bool> TryAddAsync(MemberRecord member);

    /// <summary>Stores the member at <paramref name="expectedVersion"/> + 1 if the stored one is at <paramref name="expectedVersion"/>.</summary>
    [Alias("try-update")]
    Task<bool> TryUpdateAsync(MemberRecord member, int expectedVersion);
}

/// <summary>The saved state of a <see cref="CampaignGrain"/>.</summary>
[GenerateSerializer]
[Alias("alignment.campaign-state.v1")]
internal sealed class CampaignState
{
    [Id(0)] public DateTimeOffset? ClosedAt { get; set; }
}

/// <summary>One campaign of a tenant (key: the tenant, then the campaign): when it closed.</summary>
[Alias("alignment.campaign")]
internal interface ICampaignGrain : IGrainWithStringKey
{
    /// <summary>Closes the campaign at <paramref name="at"/> unless it closed already; the time it closed.</summary>
    [Alias("close")]
    Task<DateTimeOffset> CloseAsync(DateTimeOffset at);

    [Alias("closed-at")]
    [ReadOnly]
    Task<DateTimeOffset?> GetClosedAtAsync();
}

internal sealed class CampaignMemberGrain(
    [PersistentState("campaign-member", AlignmentOrleans.StorageName)] IPersistentState<MemberState> state) : Grain, ICampaignMemberGrain
{
    public Task<MemberRecord?> GetAsync() => Task.FromResult(state.State.Member);

    public async Task<bool> TryAddAsync(MemberRecord member)
    {
        if (state.State.Member is not null)
        {
            return false;
        }

        // Listed first: a listed lead whose add failed is skipped when listing, and no member is ever missing from the list.
        string tenant = AlignmentOrleans.TenantOf(this.GetPrimaryKeyString());
        await GrainFactory.GetGrain<IIdIndexGrain>(OrleansIndexes.Members(tenant, member.Campaign, OrleansIndexes.PartitionOf(member.Lead))).AddAsync(member.Lead);
        member.Version = 1;
        await SaveAsync(member);
        return true;
    }

    public async Task<bool> TryUpdateAsync(MemberRecord member, int expectedVersion)
    {
        if (state.State.Member is not { } stored || stored.Version != expectedVersion)
        {
            return false;
        }

        member.Version = expectedVersion + 1;
        await SaveAsync(member);
        return true;
    }

    private async Task SaveAsync(MemberRecord member)
    {
        var before = state.State.Member;
        state.State.Member = member;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.Member = before;
            DeactivateOnIdle();
            throw;
        }
    }
}

internal sealed class CampaignGrain(
    [PersistentState("campaign", AlignmentOrleans.StorageName)] IPersistentState<CampaignState> state) : Grain, ICampaignGrain
{
    public async Task<DateTimeOffset> CloseAsync(DateTimeOffset at)
    {
        if (state.State.ClosedAt is { } closed)
        {
            return closed;
        }

        state.State.ClosedAt = at;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State.ClosedAt = null;
            DeactivateOnIdle();
            throw;
        }

        return at;
    }

    public Task<DateTimeOffset?> GetClosedAtAsync() => Task.FromResult(state.State.ClosedAt);
}
