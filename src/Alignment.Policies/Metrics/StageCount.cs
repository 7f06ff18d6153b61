using Alignment.Lifecycle;

namespace Alignment.Policies.Metrics;

/// <summary>How many leads ever reached a stage of the demand waterfall.</summary>
/// <param name="stage">The stage.</param>
/// <param name="leads">The number of leads that reached it.</param>
public sealed class StageCount(LifecycleStage stage, int leads)
{
    /// <summary>The stage.</summary>
    public LifecycleStage Stage { get; } = stage;

    /// <summary>The number of leads that reached it.</summary>
    public int Leads { get; } = leads;
}
