namespace Alignment.Leads;

/// <summary>Collects the custom attribute values of one lead. Not thread-safe; use one builder per lead.</summary>
public sealed class LeadAttributesBuilder
{
    private readonly AttributeSchema _schema;
    private readonly double[] _numbers;
    private readonly string?[] _texts;

    internal LeadAttributesBuilder(AttributeSchema schema)
    {
        _schema = schema;
        _numbers = new double[schema.Count];
        Array.Fill(_numbers, double.NaN);
        _texts = new string?[schema.Count];
    }

    /// <summary>Sets a number attribute.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">A finite number.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The schema has no such number attribute, or the value is not finite.</exception>
    public LeadAttributesBuilder Set(string name, double value)
    {
        int i = Ordinal(name, AttributeKind.Number);
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"Attribute '{name}' must be a finite number.", nameof(value));
        }

        _numbers[i] = value;
        return this;
    }

    /// <summary>Sets a yes/no attribute.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">The flag.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The schema has no such flag attribute.</exception>
    public LeadAttributesBuilder Set(string name, bool value)
    {
        _numbers[Ordinal(name, AttributeKind.Boolean)] = value ? 1d : 0d;
        return this;
    }

    /// <summary>Sets a text attribute; <see langword="null"/> marks it missing.</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="value">The text.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The schema has no such text attribute.</exception>
    public LeadAttributesBuilder Set(string name, string? value)
    {
        _texts[Ordinal(name, AttributeKind.Text)] = value;
        return this;
    }

    /// <summary>Creates the immutable values; the builder can go on being used for another lead.</summary>
    /// <returns>The values.</returns>
    public LeadAttributes Build() => new(_schema, (double[])_numbers.Clone(), (string?[])_texts.Clone());

    private int Ordinal(string name, AttributeKind kind)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_schema.TryGetOrdinal(name, out int i))
        {
            throw new ArgumentException($"The schema has no attribute '{name}'.", nameof(name));
        }

        if (_schema.Definitions[i].Kind != kind)
        {
            throw new ArgumentException($"Attribute '{name}' is of kind {_schema.Definitions[i].Kind}, not {kind}.", nameof(name));
        }

        return i;
    }
}
