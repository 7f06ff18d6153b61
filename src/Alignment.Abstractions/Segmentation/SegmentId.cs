namespace Alignment.Segmentation;

/// <summary>The id of a segment in a segmentation model (for example <c>mid-market-software</c>).</summary>
public readonly record struct SegmentId
{
    /// <summary>Creates a segment id.</summary>
    /// <param name="value">The id; not empty or white space.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null, empty or white space.</exception>
    public SegmentId(string value)
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
