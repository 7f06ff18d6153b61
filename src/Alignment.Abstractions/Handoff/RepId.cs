namespace Alignment.Handoff;

/// <summary>The CRM's id of a salesperson.</summary>
public readonly record struct RepId
{
    /// <summary>Creates a rep id.</summary>
    /// <param name="value">The id; not empty or white space.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null, empty or white space.</exception>
    public RepId(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Value = value;
    }

    /// <summary>The id text.</summary>
    public string Value { get; }

    /// <summary>Returns <see cref="Value"/>.</summary>
    /// <returns>The id text.</returns>
    public override string ToString() => Value ?? string.Empty;
}
