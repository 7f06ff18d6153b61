using Alignment.Lifecycle;

namespace Alignment.Policies.Metrics;

/// <summary>How many leads ever reached a stage of the demand waterfall.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Leads">The number of leads that reached it.</param>
public sealed record StageCount(LifecycleStage Stage, int Leads);
