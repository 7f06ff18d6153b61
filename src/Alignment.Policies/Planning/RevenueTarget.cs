namespace Alignment.Policies.Planning;

/// <summary>The revenue sales must close in one calendar month, for the whole company or for one segment or team.</summary>
public sealed class RevenueTarget
{
    /// <summary>Creates a target.</summary>
    /// <param name="month">Any day of the month the revenue must be closed in; kept as the month's first day.</param>
    /// <param name="revenue">The revenue to close; zero or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="revenue"/> is negative.</exception>
    public RevenueTarget(DateOnly month, decimal revenue)
    {
        // A comparison, not the sign bit: -0 (which JSON and decimal arithmetic can produce) is zero.
        if (revenue < 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(revenue), revenue, "The revenue must be zero or more.");
        }

        Month = new DateOnly(month.Year, month.Month, 1);
        Revenue = revenue == 0m ? 0m : revenue;
    }

    /// <summary>The first day of the month the revenue must be closed in.</summary>
    public DateOnly Month { get; }

    /// <summary>The revenue to close.</summary>
    public decimal Revenue { get; }

    /// <summary>The segment the target is for (its leads and their history only); <see langword="null"/> for every segment.</summary>
    public string? Segment { get; init; }

    /// <summary>The sales team the target is for (its leads and their history only); <see langword="null"/> for every team.</summary>
    public string? Team { get; init; }
}
