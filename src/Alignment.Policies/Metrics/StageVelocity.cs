using System.Text.Json.Serialization;
using Alignment.Lifecycle;

namespace Alignment.Policies.Metrics;

/// <summary>How fast leads move between two consecutive stages.</summary>
public sealed class StageVelocity
{
    /// <summary>Creates the value (the engine does; hosts read it).</summary>
    /// <param name="from">The earlier stage.</param>
    /// <param name="to">The later stage.</param>
    /// <param name="leads">Leads that made the move.</param>
    /// <param name="medianDays">The median days from entering <paramref name="from"/> to entering <paramref name="to"/>; <see langword="null"/> when no lead made it.</param>
    [JsonConstructor]
    internal StageVelocity(LifecycleStage from, LifecycleStage to, int leads, double? medianDays)
    {
        From = from;
        To = to;
        Leads = leads;
        MedianDays = medianDays;
    }

    /// <summary>The earlier stage.</summary>
    public LifecycleStage From { get; }

    /// <summary>The later stage.</summary>
    public LifecycleStage To { get; }

    /// <summary>Leads that made the move.</summary>
    public int Leads { get; }

    /// <summary>The median days from entering <see cref="From"/> to entering <see cref="To"/>; <see langword="null"/> when no lead made it.</summary>
    public double? MedianDays { get; }
}
