namespace Alignment.Policies.Planning;

/// <summary>Marketing spend on one channel (and campaign) in one month.</summary>
public sealed class ChannelSpend
{
    /// <summary>Creates the value.</summary>
    /// <param name="month">Any day of the month; kept as the month's first day.</param>
    /// <param name="channel">The channel, spelled as the leads' source (<c>Paid Search</c>, <c>Webinar</c>).</param>
    /// <param name="amount">The amount spent; zero or more.</param>
    /// <exception cref="ArgumentException"><paramref name="channel"/> is null or blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative.</exception>
    public ChannelSpend(DateOnly month, string channel, decimal amount)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(channel);
        // A comparison, not the sign bit: -0 is zero.
        if (amount < 0m)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "The amount must be zero or more.");
        }

        Month = new DateOnly(month.Year, month.Month, 1);
        Channel = channel;
        Amount = amount == 0m ? 0m : amount;
    }

    /// <summary>The month's first day.</summary>
    public DateOnly Month { get; }

    /// <summary>The channel.</summary>
    public string Channel { get; }

    /// <summary>The amount spent.</summary>
    public decimal Amount { get; }

    /// <summary>The campaign the money went to, if the spend file says.</summary>
    public string? Campaign { get; init; }
}
