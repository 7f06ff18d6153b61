using Alignment.Handoff;

namespace Alignment.Policies.Tests.Nurture.TestDoubles;

/// <summary>A simple routing test double: round-robin over reps, recorded in the assignment store (routing twice returns the first decision).</summary>
public sealed class StubRouter(StubAssignmentStore store, params string[] reps) : IHandoffPolicy
{
    public int Calls { get; private set; }

    public async ValueTask<HandoffDecision> RouteAsync(HandoffRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Calls++;
        var existing = await store.FindDecisionAsync(request.Lead.Id, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var turn = await store.NextInRotationAsync("all", cancellationToken);
        var rep = new RepId(reps[(int)(turn % reps.Length)]);
        return await store.RecordAsync(new HandoffDecision.Assigned(request.Lead.Id, rep, "round-robin", $"turn {turn}"), null, cancellationToken);
    }
}
