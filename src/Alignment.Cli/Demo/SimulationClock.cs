namespace Alignment.Cli.Demo;

/// <summary>The demo's clock: a <see cref="TimeProvider"/> the simulation moves forward event by event, so every run is identical.</summary>
/// <param name="start">The first instant.</param>
internal sealed class SimulationClock(DateTimeOffset start) : TimeProvider
{
    /// <summary>The current simulated instant (UTC).</summary>
    public DateTimeOffset Now { get; private set; } = start.ToUniversalTime();

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Now;

    /// <summary>Moves the clock to <paramref name="instant"/>; it never moves backwards.</summary>
    /// <param name="instant">The new instant.</param>
    public void MoveTo(DateTimeOffset instant)
    {
        var utc = instant.ToUniversalTime();
        if (utc > Now)
        {
            Now = utc;
        }
    }

    /// <summary>Sets the clock to any instant, also backwards (used only while the bundled collateral is dated).</summary>
    /// <param name="instant">The instant.</param>
    public void Set(DateTimeOffset instant) => Now = instant.ToUniversalTime();
}
