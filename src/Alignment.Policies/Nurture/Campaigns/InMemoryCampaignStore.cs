using System.Runtime.CompilerServices;
using Alignment.Decisions;
using Alignment.Leads;

namespace Alignment.Policies.Nurture.Campaigns;

/// <summary>The embedded, in-process <see cref="ICampaignStore"/>: thread-safe, lost on restart.</summary>
public sealed class InMemoryCampaignStore : ICampaignStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Campaign, LeadId Lead), CampaignMember> _members = [];
    private readonly Dictionary<string, DateTimeOffset> _closed = new(StringComparer.Ordinal);
    private readonly InMemoryDecisionOutbox? _outbox;

    /// <summary>Creates a store.</summary>
    /// <param name="outbox">
    /// Where to write the campaign decisions handed to it, under the store's lock (<see cref="ICampaignStore.RecordsDecisions"/>), for
    /// a <see cref="DecisionRelay"/> to deliver; <see langword="null"/> to record none (the tracker publishes them directly).
    /// </param>
    public InMemoryCampaignStore(InMemoryDecisionOutbox? outbox = null) => _outbox = outbox;

    /// <inheritdoc />
    bool ICampaignStore.RecordsDecisions => _outbox is not null;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="member"/> is null.</exception>
    public ValueTask<bool> TryAddMemberAsync(CampaignMember member, AlignmentDecision? decision = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        cancellationToken.ThrowIfCancellationRequested();
        string? key = KeyOf(decision);
        lock (_gate)
        {
            if (!_members.TryAdd((member.Campaign, member.Lead.Id), member with { Version = 1 }))
            {
                return ValueTask.FromResult(false);
            }

            Record(key, decision);
            return ValueTask.FromResult(true);
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
    public ValueTask<bool> TryUpdateMemberAsync(CampaignMember member, int expectedVersion, AlignmentDecision? decision = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        cancellationToken.ThrowIfCancellationRequested();
        string? decisionKey = KeyOf(decision);
        lock (_gate)
        {
            var key = (member.Campaign, member.Lead.Id);
            if (!_members.TryGetValue(key, out var current) || current.Version != expectedVersion)
            {
                return ValueTask.FromResult(false);
            }

            _members[key] = member with { Version = expectedVersion + 1 };
            Record(decisionKey, decision);
            return ValueTask.FromResult(true);
        }
    }

    /// <summary>The key the decision is recorded under, computed before anything changes (a kind without a key is refused first).</summary>
    private string? KeyOf(AlignmentDecision? decision) => decision is not null && _outbox is not null ? DecisionKeys.For(decision) : null;

    private void Record(string? key, AlignmentDecision? decision)
    {
        if (key is not null)
        {
            _outbox!.Append(key, decision!);
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
