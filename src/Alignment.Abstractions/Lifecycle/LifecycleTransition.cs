namespace Alignment.Lifecycle;

/// <summary>One move of a lead between lifecycle stages, with its time, actor and reason.</summary>
/// <param name="From">The stage left.</param>
/// <param name="To">The stage entered.</param>
/// <param name="At">When the move happened.</param>
/// <param name="Actor">Who made it.</param>
/// <param name="Reason">Why (for example <c>score 72 &gt;= 60 and grade B &gt;= C</c>, or a rejection reason code).</param>
public sealed record LifecycleTransition(LifecycleStage From, LifecycleStage To, DateTimeOffset At, LifecycleActor Actor, string Reason)
{
    /// <summary>The scoring model (id@version) in force when the move happened, when a score drove it.</summary>
    public string? ModelVersion { get; init; }
}
