using System.Text.Json.Serialization;
using Alignment.Lifecycle;

namespace Alignment.Policies.Metrics;

/// <summary>How many leads ever reached a stage of the demand waterfall.</summary>
public sealed class StageCount
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="stage">The stage.</param>
    /// <param name="leads">The number of leads that reached it.</param>
    [JsonConstructor]
    internal StageCount(LifecycleStage stage, int leads)
    {
        Stage = stage;
        Leads = leads;
    }

    /// <summary>The stage.</summary>
    public LifecycleStage Stage { get; }

    /// <summary>The number of leads that reached it.</summary>
    public int Leads { get; }
}
