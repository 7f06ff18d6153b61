namespace Alignment.Policies.Handoff;

/// <summary>How a routing simulation plays out.</summary>
internal sealed class RoutingSimulationOptions
{
    /// <summary>The first simulated instant.</summary>
    /// <value>Defaults to Monday 2026-03-02 00:00 UTC.</value>
    public DateTimeOffset Start { get; set; } = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The simulated period in days; leads without a creation time inside it arrive evenly spread over it.</summary>
    /// <value>Defaults to 5.</value>
    public int Days { get; set; } = 5;

    /// <summary>The mean time a rep takes to touch a lead once their service-level clock starts (exponentially distributed).</summary>
    /// <value>Defaults to 20 minutes.</value>
    public TimeSpan MeanResponseTime { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>How long a rep holds a lead open (counting against the cap) after first touch, before accepting or rejecting it.</summary>
    /// <value>Defaults to 1 day.</value>
    public TimeSpan HoldTime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The seed of the response-time draws, so runs are reproducible.</summary>
    /// <value>Defaults to 42.</value>
    public int Seed { get; set; } = 42;
}
