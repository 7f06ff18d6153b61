namespace Alignment.Policies.Nurture.Definitions;

/// <summary>The JSON form of a recurring quiet period (month-day to month-day, inclusive, UTC).</summary>
internal sealed class QuietPeriodDocument
{
    public string? Name { get; set; }

    public string? From { get; set; }

    public string? To { get; set; }
}
