using Alignment.Lifecycle;

namespace Alignment.Policies.Metrics;

/// <summary>How fast leads move between two consecutive stages.</summary>
/// <param name="From">The earlier stage.</param>
/// <param name="To">The later stage.</param>
/// <param name="Leads">Leads that made the move.</param>
/// <param name="MedianDays">The median days from entering <paramref name="From"/> to entering <paramref name="To"/>; <see langword="null"/> when no lead made it.</param>
public sealed record StageVelocity(LifecycleStage From, LifecycleStage To, int Leads, double? MedianDays);
