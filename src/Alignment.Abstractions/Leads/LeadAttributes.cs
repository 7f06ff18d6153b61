namespace Alignment.Leads;

/// <summary>
/// The custom attribute values of one lead, positioned by an <see cref="AttributeSchema"/>. A missing number reads as
/// <see cref="double.NaN"/>, a missing text as <see langword="null"/>, and a missing flag as not set.
/// </summary>
/// <remarks>Immutable and thread-safe. Build one with <see cref="AttributeSchema.CreateBuilder"/>.</remarks>
public sealed class LeadAttributes
{
    private readonly double[] _numbers;
    private readonly string?[] _texts;

    /// <summary>The values of a lead with no custom attributes, over <see cref="AttributeSchema.Empty"/>.</summary>
    public static LeadAttributes Empty { get; } = new(AttributeSchema.Empty, [], []);

    internal LeadAttributes(AttributeSchema schema, double[] numbers, string?[] texts)
    {
        Schema = schema;
        _numbers = numbers;
        _texts = texts;
    }

    /// <summary>The schema that gives each value its position and type.</summary>
    public AttributeSchema Schema { get; }

    /// <summary>Reads a number (or a flag as 1/0).</summary>
    /// <param name="ordinal">The attribute's position in <see cref="Schema"/>.</param>
    /// <returns>The value, or <see cref="double.NaN"/> when missing.</returns>
    /// <exception cref="IndexOutOfRangeException"><paramref name="ordinal"/> is outside the schema.</exception>
    public double GetNumber(int ordinal) => _numbers[ordinal];

    /// <summary>Reads a flag.</summary>
    /// <param name="ordinal">The attribute's position in <see cref="Schema"/>.</param>
    /// <returns><see langword="true"/> when the flag is set and true.</returns>
    /// <exception cref="IndexOutOfRangeException"><paramref name="ordinal"/> is outside the schema.</exception>
    public bool GetBoolean(int ordinal) => _numbers[ordinal] == 1d;

    /// <summary>Reads a text.</summary>
    /// <param name="ordinal">The attribute's position in <see cref="Schema"/>.</param>
    /// <returns>The text, or <see langword="null"/> when missing.</returns>
    /// <exception cref="IndexOutOfRangeException"><paramref name="ordinal"/> is outside the schema.</exception>
    public string? GetText(int ordinal) => _texts[ordinal];

    /// <summary>Tells whether a value is present.</summary>
    /// <param name="ordinal">The attribute's position in <see cref="Schema"/>.</param>
    /// <returns><see langword="true"/> when the attribute has a value.</returns>
    public bool HasValue(int ordinal) => Schema.Definitions[ordinal].Kind == AttributeKind.Text ? _texts[ordinal] is not null : !double.IsNaN(_numbers[ordinal]);
}
