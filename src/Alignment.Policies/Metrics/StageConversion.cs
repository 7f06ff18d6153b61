using Alignment.Lifecycle;

namespace Alignment.Policies.Metrics;

/// <summary>The conversion between two consecutive stages of the waterfall.</summary>
/// <param name="From">The earlier stage.</param>
/// <param name="To">The later stage.</param>
/// <param name="FromLeads">Leads that reached <paramref name="From"/>.</param>
/// <param name="ToLeads">Leads that reached <paramref name="To"/>.</param>
/// <param name="Rate"><paramref name="ToLeads"/> / <paramref name="FromLeads"/> (0 when no lead reached <paramref name="From"/>), rounded to four places.</param>
public sealed record StageConversion(LifecycleStage From, LifecycleStage To, int FromLeads, int ToLeads, double Rate);
