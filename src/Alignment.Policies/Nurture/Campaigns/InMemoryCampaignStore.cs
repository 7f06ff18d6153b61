using System.Runtime.CompilerServices;
using Alignment.Leads;

namespace Alignment.Policies.Nurture.Campaigns;

/// <summary>The embedded, in-process <see cref="ICampaignStore"/>: thread-safe, lost on restart.</summary>
public sealed class InMemoryCampaignStore : ICampaignStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Campaign, LeadId Lead), CampaignMember> _members = [];
    private readonly Dictionary<string, DateTimeOffset> _closed = new(StringComparer.Ordinal);

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="member"/> is null.</exception>
    public ValueTask<bool> TryAddMemberAsync(CampaignMember member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_members.TryAdd((member.Campaign, member.Lead.Id), member with { Version = 1 }));
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="campaign"/> is null.</exception>
    public ValueTask<CampaignMember?> FindMemberAsync(string campaign, LeadId leadId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_members.TryGetValue((campaign, leadId), out var m) ? m : null);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="member"/> is null.</exception>
    public ValueTask<bool> TryUpdateMemberAsync(CampaignMember member, int expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var key = (member.Campaign, member.Lead.Id);
            if (!_members.TryGetValue(key, out var current) || current.Version != expectedVersion)
            {
                return ValueTask.FromResult(false);
            }

            _members[key] = member with { Version = expectedVersion + 1 };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="campaign"/> is null.</exception>
    public async IAsyncEnumerable<CampaignMember> ListMembersAsync(string campaign, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        CampaignMember[] members;
        lock (_gate)
        {
            members = [.. _members.Values.Where(m => string.Equals(m.Campaign, campaign, StringComparison.Ordinal))];
        }

        Array.Sort(members, static (a, b) => string.CompareOrdinal(a.Lead.Id.Value, b.Lead.Id.Value));
        foreach (var member in members)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return member;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="campaign"/> is null.</exception>
    public ValueTask<DateTimeOffset> CloseAsync(string campaign, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_closed.TryAdd(campaign, at) ? at : _closed[campaign]);
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="campaign"/> is null.</exception>
    public ValueTask<DateTimeOffset?> FindClosedAtAsync(string campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_closed.TryGetValue(campaign, out var at) ? at : (DateTimeOffset?)null);
        }
    }
}
