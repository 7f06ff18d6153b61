namespace Alignment.Leads;

/// <summary>
/// The CRM's identifier of a lead. Alignment never invents lead ids: it echoes the id the CRM gave it,
/// and identifies leads only by this id in exceptions, logs and metrics (never by e-mail or name).
/// </summary>
public readonly record struct LeadId
{
    /// <summary>Creates a lead id.</summary>
    /// <param name="value">The CRM's id; not empty or white space.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null, empty or white space.</exception>
    public LeadId(string value)
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
