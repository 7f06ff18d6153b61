namespace Alignment.Leads;

/// <summary>The CRM's identifier of an account (the company a lead works for).</summary>
public readonly record struct AccountId
{
    /// <summary>Creates an account id.</summary>
    /// <param name="value">The CRM's id; not empty or white space.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null, empty or white space.</exception>
    public AccountId(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Value = value;
    }

    /// <summary>The CRM's id text.</summary>
    public string Value { get; }

    /// <summary>Returns <see cref="Value"/>.</summary>
    /// <returns>The id text.</returns>
    public override string ToString() => Value ?? string.Empty;
}
