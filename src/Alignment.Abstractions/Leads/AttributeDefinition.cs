namespace Alignment.Leads;

/// <summary>One custom attribute of an <see cref="AttributeSchema"/>: its name and type.</summary>
public readonly record struct AttributeDefinition
{
    /// <summary>Creates a definition.</summary>
    /// <param name="name">The attribute's name as models refer to it (for example <c>emailOpens30d</c>).</param>
    /// <param name="kind">The attribute's type.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty, or <paramref name="kind"/> is not defined.</exception>
    public AttributeDefinition(string name, AttributeKind kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentException($"Attribute kind {(int)kind} is not defined.", nameof(kind));
        }

        Name = name;
        Kind = kind;
    }

    /// <summary>The attribute's name.</summary>
    public string Name { get; }

    /// <summary>The attribute's type.</summary>
    public AttributeKind Kind { get; }
}
