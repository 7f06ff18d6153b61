using Alignment.Leads;
using Alignment.Policies.Nurture.Campaigns;
using Alignment.Segmentation;

namespace Alignment.Conformance.Nurture.Campaigns;

/// <summary>
/// The <see cref="ICampaignStore"/> contract, written once: a lead is added to a campaign once, at version 1, and found with every
/// field it was added with (times to the tick, offset included, and the lead's routing and nurture facts); an update applies only
/// at the version the caller read, even when several writers race; members are listed per campaign in ordinal lead-id order, in
/// their latest state; a campaign closes once and every later close gets the first close time back; argument checks and
/// cancellation.
/// </summary>
/// <remarks>
/// A backend's test project derives one class from this suite and overrides <see cref="CreateStoreAsync"/> to make an empty store
/// (its own schema, table or instance); the failing tests then say which part of the protocol a new backend breaks. Members are
/// added with leads that carry only the facts a durable store keeps (see <see cref="CampaignMember.Lead"/>).
/// </remarks>
public abstract class CampaignStoreConformance
{
    // A non-UTC offset and sub-microsecond ticks: a timestamptz would lose both.
    private static readonly DateTimeOffset T0 = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(5.5)).AddTicks(1_234_567);

    /// <summary>Makes a new, empty store: no two tests share one.</summary>
    /// <returns>The store.</returns>
    protected abstract Task<ICampaignStore> CreateStoreAsync();

    private static Lead FullLead(string id) => new(new LeadId(id))
    {
        AccountId = new AccountId("acc-" + id),
        Company = new CompanyProfile { Country = "DE", Region = "EMEA", Domain = id + ".example.de" },
        Person = new PersonProfile { Language = "de" },
        Source = "Webinar",
    };

    private static CampaignMember Invited(string campaign, string lead) => new(campaign, new Lead(new LeadId(lead)));

    private static (long UtcTicks, TimeSpan Offset)? Exact(DateTimeOffset? at) => at is { } a ? (a.UtcTicks, a.Offset) : null;

    private static async Task<List<CampaignMember>> ListAsync(ICampaignStore store, string campaign)
    {
        var members = new List<CampaignMember>();
        await foreach (var m in store.ListMembersAsync(campaign))
        {
            members.Add(m);
        }

        return members;
    }

    [Fact]
    public async Task An_added_member_is_found_with_every_field_exactly_at_version_1()
    {
        var store = await CreateStoreAsync();
        var member = new CampaignMember("webinar-2026-03", FullLead("a"))
        {
            Segment = new SegmentId("mid-market-software"),
            Status = CampaignMemberStatus.Attended,
            NoShowEnrolmentId = "enr-17",
            FollowUpDueAt = T0,
            FollowedUpAt = T0.ToOffset(TimeSpan.FromHours(-7)).AddTicks(3),
            ClosedAt = T0.ToOffset(TimeSpan.FromHours(9)).AddTicks(-7),
            NoShowSkippedReason = "at stage Won when 'webinar-2026-03' closed",
            PreEventCallDueAt = T0.AddDays(-2).AddTicks(11),
            PreEventCallOwner = "rep-7",
            PreEventCalledAt = T0.ToOffset(TimeSpan.FromHours(-3)).AddDays(-3).AddTicks(5),
            Interests = ["SSO", "pricing for 50 seats", "Münster office"],
            Version = 42, // the store sets 1
        };

        Assert.Null(await store.FindMemberAsync("webinar-2026-03", new LeadId("a")));
        Assert.True(await store.TryAddMemberAsync(member));

        var found = (await store.FindMemberAsync("webinar-2026-03", new LeadId("a")))!;
        Assert.Equal(member with { Version = 1 }, found);
        Assert.Equal(Exact(member.FollowUpDueAt), Exact(found.FollowUpDueAt));
        Assert.Equal(Exact(member.FollowedUpAt), Exact(found.FollowedUpAt));
        Assert.Equal(Exact(member.ClosedAt), Exact(found.ClosedAt));
        Assert.Equal(Exact(member.PreEventCallDueAt), Exact(found.PreEventCallDueAt));
        Assert.Equal(Exact(member.PreEventCalledAt), Exact(found.PreEventCalledAt));
        Assert.Equal(["SSO", "pricing for 50 seats", "Münster office"], found.Interests.AsEnumerable());
        Assert.Equal("rep-7", found.PreEventCallOwner);
        Assert.Equal(new AccountId("acc-a"), found.Lead.AccountId);
        Assert.Equal(("DE", "EMEA", "a.example.de"), (found.Lead.Company.Country, found.Lead.Company.Region, found.Lead.Company.Domain));
        Assert.Equal(("de", "Webinar"), (found.Lead.Person.Language, found.Lead.Source));

        // A member without any optional fact or time keeps them null.
        Assert.True(await store.TryAddMemberAsync(Invited("webinar-2026-03", "b")));
        var bare = (await store.FindMemberAsync("webinar-2026-03", new LeadId("b")))!;
        Assert.Equal(Invited("webinar-2026-03", "b") with { Version = 1 }, bare);
        Assert.Null(bare.Lead.AccountId);
        Assert.Null(bare.Lead.Company.Country);
        Assert.Null(bare.Lead.Person.Language);
        Assert.Null(bare.Segment);
        Assert.Null(bare.FollowUpDueAt);
        Assert.Null(bare.FollowedUpAt);
        Assert.Null(bare.ClosedAt);
        Assert.Null(bare.NoShowSkippedReason);
        Assert.Equal(CampaignMemberStatus.Invited, bare.Status);

        // The pair is the key: the same lead in another campaign is another member.
        Assert.Null(await store.FindMemberAsync("webinar-2026-04", new LeadId("a")));
    }

    [Fact]
    public async Task A_lead_is_added_to_a_campaign_once_and_the_first_member_is_kept()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryAddMemberAsync(Invited("w", "a")));
        Assert.False(await store.TryAddMemberAsync(Invited("w", "a") with { Status = CampaignMemberStatus.Attended, NoShowEnrolmentId = "x" }));

        var found = (await store.FindMemberAsync("w", new LeadId("a")))!;
        Assert.Equal(CampaignMemberStatus.Invited, found.Status);
        Assert.Null(found.NoShowEnrolmentId);
        Assert.Equal(1, found.Version);
        Assert.True(await store.TryAddMemberAsync(Invited("w2", "a")));
    }

    [Fact]
    public async Task A_stale_version_loses_and_the_stored_member_is_kept()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryAddMemberAsync(Invited("w", "a")));

        // Two hosts read version 1: one records the registration, the other (late) the attendance.
        var registered = Invited("w", "a") with { Status = CampaignMemberStatus.Registered, Segment = new SegmentId("smb") };
        var attended = Invited("w", "a") with { Status = CampaignMemberStatus.Attended, FollowUpDueAt = T0 };
        Assert.True(await store.TryUpdateMemberAsync(registered, 1));
        Assert.False(await store.TryUpdateMemberAsync(attended, 1));
        Assert.False(await store.TryUpdateMemberAsync(attended, 3));
        Assert.Equal(registered with { Version = 2 }, await store.FindMemberAsync("w", new LeadId("a")));

        Assert.True(await store.TryUpdateMemberAsync(attended, 2));
        var found = (await store.FindMemberAsync("w", new LeadId("a")))!;
        Assert.Equal(attended with { Version = 3 }, found);
        Assert.Equal(Exact(T0), Exact(found.FollowUpDueAt));

        // A member that was never added cannot be updated into existence.
        Assert.False(await store.TryUpdateMemberAsync(Invited("w", "never"), 1));
        Assert.False(await store.TryUpdateMemberAsync(Invited("other", "a"), 1));
        Assert.Null(await store.FindMemberAsync("w", new LeadId("never")));
        Assert.Null(await store.FindMemberAsync("other", new LeadId("a")));
    }

    [Fact]
    public async Task Concurrent_writers_at_one_version_exactly_one_wins()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryAddMemberAsync(Invited("w", "a")));

        var updates = Enumerable.Range(0, 8)
            .Select(i => Invited("w", "a") with { Status = CampaignMemberStatus.Registered, NoShowEnrolmentId = "host-" + i })
            .ToArray();
        var saved = await Task.WhenAll(updates.Select(u => Task.Run(async () => await store.TryUpdateMemberAsync(u, 1)))).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Single(saved, s => s);
        var winner = updates[Array.IndexOf(saved, true)];
        Assert.Equal(winner with { Version = 2 }, await store.FindMemberAsync("w", new LeadId("a")));
    }

    [Fact]
    public async Task Concurrent_closers_all_get_the_first_close_time()
    {
        var store = await CreateStoreAsync();
        var times = Enumerable.Range(0, 8).Select(i => T0.AddMinutes(i).ToOffset(TimeSpan.FromHours(i - 4))).ToArray();

        var closed = await Task.WhenAll(times.Select(t => Task.Run(async () => await store.CloseAsync("w", t)))).WaitAsync(TimeSpan.FromMinutes(1));

        var first = closed[0];
        Assert.All(closed, c => Assert.Equal(Exact(first), Exact(c)));
        Assert.Contains(Exact(first), times.Select(t => Exact(t)));
        Assert.Equal(Exact(first), Exact(await store.FindClosedAtAsync("w")));

        // Forever after, a later close gets the first time back, offset and ticks included.
        Assert.Equal(Exact(first), Exact(await store.CloseAsync("w", T0.AddDays(1))));
    }

    [Fact]
    public async Task A_campaign_has_no_close_time_while_open_then_the_close_time()
    {
        var store = await CreateStoreAsync();
        Assert.Null(await store.FindClosedAtAsync("w"));

        Assert.Equal(Exact(T0), Exact(await store.CloseAsync("w", T0)));

        Assert.Equal(Exact(T0), Exact(await store.FindClosedAtAsync("w")));
        Assert.Null(await store.FindClosedAtAsync("W")); // campaign ids compare ordinally
        Assert.Null(await store.FindClosedAtAsync("other"));
    }

    [Fact]
    public async Task Members_are_listed_in_ordinal_lead_id_order_per_campaign()
    {
        var store = await CreateStoreAsync();

        // "B" < "a" < "b" ordinally (culture order would put a first); U+1F600 is a surrogate pair (0xD83D...), which sorts
        // before U+FF21 in UTF-16 but after it in UTF-8 byte order.
        string[] ids = ["b", "\uFF21", "a", "B", "a1", "\U0001F600", "A", "_", "10", "9"];
        foreach (string id in ids)
        {
            Assert.True(await store.TryAddMemberAsync(Invited("w1", id)));
        }

        Assert.True(await store.TryAddMemberAsync(Invited("w2", "a")));
        Assert.True(await store.TryAddMemberAsync(Invited("w2", "0")));
        Assert.True(await store.TryAddMemberAsync(Invited("W1", "z")));

        var w1 = await ListAsync(store, "w1");
        string[] expected = [.. ids.Order(StringComparer.Ordinal)];
        Assert.Equal(["10", "9", "A", "B", "_", "a", "a1", "b", "\U0001F600", "\uFF21"], expected);
        Assert.Equal(expected, w1.Select(m => m.Lead.Id.Value));
        Assert.All(w1, m => Assert.Equal("w1", m.Campaign));
        Assert.All(w1, m => Assert.Equal(1, m.Version));

        Assert.Equal(["0", "a"], (await ListAsync(store, "w2")).Select(m => m.Lead.Id.Value));
        Assert.Equal(["z"], (await ListAsync(store, "W1")).Select(m => m.Lead.Id.Value));
        Assert.Empty(await ListAsync(store, "none"));
    }

    [Fact]
    public async Task Members_are_listed_in_their_latest_state()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryAddMemberAsync(new CampaignMember("w", FullLead("a"))));
        Assert.True(await store.TryAddMemberAsync(Invited("w", "b")));
        var attended = new CampaignMember("w", FullLead("a")) { Status = CampaignMemberStatus.Attended, FollowUpDueAt = T0 };
        Assert.True(await store.TryUpdateMemberAsync(attended, 1));

        var members = await ListAsync(store, "w");

        Assert.Equal([attended with { Version = 2 }, Invited("w", "b") with { Version = 1 }], members);
        Assert.Equal(Exact(T0), Exact(members[0].FollowUpDueAt));
    }

    [Fact]
    public async Task Every_call_honours_cancellation_and_a_cancelled_write_saves_nothing()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryAddMemberAsync(Invited("w", "a")));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var ct = cancelled.Token;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.TryAddMemberAsync(Invited("w", "b"), null, ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.FindMemberAsync("w", new LeadId("a"), ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.TryUpdateMemberAsync(Invited("w", "a") with { NoShowEnrolmentId = "x" }, 1, null, ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in store.ListMembersAsync("w", ct))
            {
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.CloseAsync("w", T0, ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.FindClosedAtAsync("w", ct));

        Assert.Null(await store.FindMemberAsync("w", new LeadId("b")));
        Assert.Equal(Invited("w", "a") with { Version = 1 }, await store.FindMemberAsync("w", new LeadId("a")));
        Assert.Null(await store.FindClosedAtAsync("w"));
    }

    [Fact]
    public async Task Concurrent_adds_of_one_lead_keep_exactly_one_member()
    {
        var store = await CreateStoreAsync();
        var adds = Enumerable.Range(0, 8).Select(i => Invited("w", "a") with { NoShowEnrolmentId = "host-" + i }).ToArray();

        var added = await Task.WhenAll(adds.Select(m => Task.Run(async () => await store.TryAddMemberAsync(m)))).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Single(added, a => a);
        Assert.Equal(adds[Array.IndexOf(added, true)] with { Version = 1 }, await store.FindMemberAsync("w", new LeadId("a")));
        Assert.Single(await ListAsync(store, "w"));
    }

    [Fact]
    public async Task An_update_is_stored_at_the_next_version_whatever_version_it_carries()
    {
        var store = await CreateStoreAsync();
        Assert.True(await store.TryAddMemberAsync(Invited("w", "a")));

        Assert.True(await store.TryUpdateMemberAsync(Invited("w", "a") with { Status = CampaignMemberStatus.Registered, Version = 99 }, 1));

        Assert.Equal(Invited("w", "a") with { Status = CampaignMemberStatus.Registered, Version = 2 }, await store.FindMemberAsync("w", new LeadId("a")));
        Assert.False(await store.TryUpdateMemberAsync(Invited("w", "a") with { Status = CampaignMemberStatus.Attended }, 99));
    }

    [Fact]
    public async Task Null_arguments_are_refused()
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.TryAddMemberAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.TryUpdateMemberAsync(null!, 1));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.FindMemberAsync(null!, new LeadId("a")));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.CloseAsync(null!, T0));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await store.FindClosedAtAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(async () =>
        {
            await foreach (var _ in store.ListMembersAsync(null!))
            {
            }
        });
    }
}
