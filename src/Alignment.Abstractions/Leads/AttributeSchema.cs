using System.Collections.Immutable;

namespace Alignment.Leads;

/// <summary>
/// The set of custom attributes a CRM attaches to its leads, each with a fixed position (ordinal).
/// Models resolve attribute names to ordinals once, when they are compiled, so that no name is looked up while scoring.
/// </summary>
/// <remarks>Immutable and thread-safe. Create one schema per CRM configuration and share it.</remarks>
public sealed class AttributeSchema
{
    private readonly Dictionary<string, int> _ordinals;

    /// <summary>A schema with no attributes.</summary>
    public static AttributeSchema Empty { get; } = new([]);

    /// <summary>Creates a schema.</summary>
    /// <param name="definitions">The attributes, in ordinal order. Names are compared case-insensitively and must be unique.</param>
    /// <exception cref="ArgumentNullException"><paramref name="definitions"/> is null.</exception>
    /// <exception cref="ArgumentException">Two definitions share a name.</exception>
    public AttributeSchema(IEnumerable<AttributeDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        Definitions = [.. definitions];
        _ordinals = new Dictionary<string, int>(Definitions.Length, StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < Definitions.Length; i++)
        {
            if (Definitions[i].Name is null)
            {
                throw new ArgumentException($"Definition {i} has no name (a default AttributeDefinition).", nameof(definitions));
            }

            if (!_ordinals.TryAdd(Definitions[i].Name, i))
            {
                throw new ArgumentException($"The attribute name '{Definitions[i].Name}' appears twice.", nameof(definitions));
            }
        }
    }

    /// <summary>The attributes, in ordinal order.</summary>
    public ImmutableArray<AttributeDefinition> Definitions { get; }

    /// <summary>The number of attributes.</summary>
    public int Count => Definitions.Length;

    /// <summary>Finds an attribute by name (case-insensitive).</summary>
    /// <param name="name">The attribute's name.</param>
    /// <param name="ordinal">The attribute's position, when found.</param>
    /// <returns><see langword="true"/> when the schema has the attribute.</returns>
    public bool TryGetOrdinal(string name, out int ordinal)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _ordinals.TryGetValue(name, out ordinal);
    }

    /// <summary>Starts a set of values for this schema.</summary>
    /// <returns>A builder whose every attribute is missing until set.</returns>
    public LeadAttributesBuilder CreateBuilder() => new(this);
}
