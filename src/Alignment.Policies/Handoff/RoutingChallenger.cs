using System.Collections.Immutable;
using Alignment.Handoff;
using Alignment.Leads;
using Alignment.Models.Registry;

namespace Alignment.Policies.Handoff;

/// <summary>
/// A tenant's routing challenger: decides every lead the champion routed, in simulation only (its own <see cref="RoutingState"/>, a
/// rep's simulated open handoff released after the hold time), and tallies where it differs from the champion. Thread-safe (one lock:
/// the simulated state is shared by the tenant's leads, as the real one is).
/// </summary>
internal sealed class RoutingChallenger(ReleaseKey key, CompiledRoutingPolicy policy, TimeSpan holdTime, int maxExamples, int maxLeads)
{
    private readonly Lock _gate = new();
    private readonly RoutingState _state = new(policy);
    private readonly PriorityQueue<int, DateTimeOffset> _releases = new();
    private readonly HashSet<LeadId> _seen = [];
    private readonly Dictionary<string, int> _championByRep = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _challengerByRep = new(StringComparer.Ordinal);
    private readonly List<RoutingChallengerExample> _examples = [];
    private readonly CandidateNote[] _notes = new CandidateNote[256];
    private int _leads, _same, _otherRep, _onlyChampion, _onlyChallenger, _otherQueue;

    public ReleaseKey Key { get; } = key;

    /// <summary>Decides the lead as the challenger would and counts the difference with the champion's decision.</summary>
    public void Observe(HandoffRequest request, HandoffDecision champion, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_seen.Count < maxLeads ? !_seen.Add(request.Lead.Id) : _seen.Contains(request.Lead.Id))
            {
                return; // routed again (an open handoff returned as it is): counted once
            }

            while (_releases.TryPeek(out int rep, out var when) && when <= now)
            {
                _releases.Dequeue();
                _state.Release(rep);
            }

            var result = policy.Route(policy.Prepare(request, RoutingPhase.Initial), now, _state, _notes);
            string? challengerRep = result.IsAssigned ? policy.Reps[result.RepIndex].Value : null;
            string? challengerQueue = result.IsAssigned ? null : policy.Queues[result.QueueIndex];
            if (result.IsAssigned)
            {
                _releases.Enqueue(result.RepIndex, now + holdTime);
                _challengerByRep[challengerRep!] = _challengerByRep.GetValueOrDefault(challengerRep!) + 1;
            }

            string? championRep = champion is HandoffDecision.Assigned a ? a.Rep.Value : null;
            string? championQueue = champion is HandoffDecision.Queued q ? q.Queue : null;
            if (championRep is not null)
            {
                _championByRep[championRep] = _championByRep.GetValueOrDefault(championRep) + 1;
            }

            _leads++;
            bool same;
            if (championRep is not null && challengerRep is not null)
            {
                same = string.Equals(championRep, challengerRep, StringComparison.Ordinal);
                if (!same)
                {
                    _otherRep++;
                }
            }
            else if (championRep is not null)
            {
                same = false;
                _onlyChampion++;
            }
            else if (challengerRep is not null)
            {
                same = false;
                _onlyChallenger++;
            }
            else
            {
                same = string.Equals(championQueue, challengerQueue, StringComparison.Ordinal);
                if (!same)
                {
                    _otherQueue++;
                }
            }

            if (same)
            {
                _same++;
            }
            else if (_examples.Count < maxExamples)
            {
                _examples.Add(new RoutingChallengerExample(
                    request.Lead.Id,
                    championRep is not null ? "rep:" + championRep : "queue:" + championQueue,
                    challengerRep is not null ? "rep:" + challengerRep : "queue:" + challengerQueue,
                    policy.Explain(result, _notes.AsSpan(0, result.NoteCount))));
            }
        }
    }

    public RoutingChallengerComparison Report()
    {
        lock (_gate)
        {
            return new RoutingChallengerComparison(
                Key,
                policy.Model,
                _leads,
                _same,
                _otherRep,
                _onlyChampion,
                _onlyChallenger,
                _otherQueue,
                _championByRep.ToImmutableSortedDictionary(StringComparer.Ordinal),
                _challengerByRep.ToImmutableSortedDictionary(StringComparer.Ordinal),
                [.. _examples]);
        }
    }
}
