using System.Collections.Immutable;
using Alignment.Leads;

namespace Alignment.Lifecycle;

/// <summary>
/// A lead's current lifecycle stage and the full history of how it got there. Immutable: <see cref="Transition"/>
/// returns a new value, so a store can compare versions and refuse a lost update.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class LeadLifecycle
{
    private LeadLifecycle(LeadId leadId, LifecycleStage stage, ImmutableArray<LifecycleTransition> history)
    {
        LeadId = leadId;
        Stage = stage;
        History = history;
    }

    /// <summary>The lead.</summary>
    public LeadId LeadId { get; }

    /// <summary>The current stage.</summary>
    public LifecycleStage Stage { get; }

    /// <summary>Every transition so far, oldest first.</summary>
    public ImmutableArray<LifecycleTransition> History { get; }

    /// <summary>The number of transitions so far; a store uses it as an optimistic-concurrency version.</summary>
    public int Version => History.Length;

    /// <summary>Starts the lifecycle of a new lead at <see cref="LifecycleStage.Inquiry"/>.</summary>
    /// <param name="leadId">The lead.</param>
    /// <returns>A lifecycle with an empty history.</returns>
    public static LeadLifecycle Start(LeadId leadId) => new(leadId, LifecycleStage.Inquiry, []);

    /// <summary>Moves the lead to another stage.</summary>
    /// <param name="to">The stage to enter.</param>
    /// <param name="at">When; not earlier than the last transition.</param>
    /// <param name="actor">Who made the move.</param>
    /// <param name="reason">Why; not empty.</param>
    /// <param name="modelVersion">The scoring model (id@version) that drove the move, if any.</param>
    /// <returns>The new lifecycle.</returns>
    /// <exception cref="InvalidLifecycleTransitionException">The lifecycle does not allow the move; the message names both stages.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty, or <paramref name="at"/> is earlier than the last transition.</exception>
    public LeadLifecycle Transition(LifecycleStage to, DateTimeOffset at, LifecycleActor actor, string reason, string? modelVersion = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (!LifecycleStateMachine.IsAllowed(Stage, to))
        {
            throw new InvalidLifecycleTransitionException(LeadId, Stage, to);
        }

        if (!History.IsEmpty && at < History[^1].At)
        {
            throw new ArgumentException($"Lead {LeadId}: the transition at {at:O} is earlier than the last one at {History[^1].At:O}.", nameof(at));
        }

        return new LeadLifecycle(LeadId, to, History.Add(new LifecycleTransition(Stage, to, at, actor, reason) { ModelVersion = modelVersion }));
    }

    /// <summary>Describes the lifecycle by lead id and stage.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"Lead {LeadId} at {Stage} after {Version} transitions";
}
