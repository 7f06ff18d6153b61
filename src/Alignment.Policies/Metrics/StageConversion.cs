using Alignment.Lifecycle;

namespace Alignment.Policies.Metrics;

/// <summary>The conversion between two consecutive stages of the waterfall.</summary>
/// <param name="from">The earlier stage.</param>
/// <param name="to">The later stage.</param>
/// <param name="fromLeads">Leads that reached <paramref name="from"/>.</param>
/// <param name="toLeads">Leads that reached <paramref name="to"/>.</param>
/// <param name="rate"><paramref name="toLeads"/> / <paramref name="fromLeads"/> (0 when no lead reached <paramref name="from"/>), rounded to four places.</param>
public sealed class StageConversion(LifecycleStage from, LifecycleStage to, int fromLeads, int toLeads, double rate)
{
    /// <summary>The earlier stage.</summary>
    public LifecycleStage From { get; } = from;

    /// <summary>The later stage.</summary>
    public LifecycleStage To { get; } = to;

    /// <summary>Leads that reached <see cref="From"/>.</summary>
    public int FromLeads { get; } = fromLeads;

    /// <summary>Leads that reached <see cref="To"/>.</summary>
    public int ToLeads { get; } = toLeads;

    /// <summary><see cref="ToLeads"/> / <see cref="FromLeads"/> (0 when no lead reached <see cref="From"/>), rounded to four places.</summary>
    public double Rate { get; } = rate;
}
