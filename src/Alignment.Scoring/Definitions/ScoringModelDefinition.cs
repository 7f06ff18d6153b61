using System.Collections.Immutable;

namespace Alignment.Scoring.Definitions;

/// <summary>
/// A scoring model as data: the standard marketing and sales agreed on. Read one from JSON with <see cref="ScoringModelJson.Parse"/>
/// (or build one in code), then compile it with <see cref="ScoringModel.Compile"/>. Immutable.
/// </summary>
/// <param name="Id">The model's id.</param>
/// <param name="Version">Its semantic version (for example <c>1.2.0</c>).</param>
public sealed record ScoringModelDefinition(string Id, string Version)
{
    /// <summary>What changed in this version, for the people who sign it off.</summary>
    public string? ChangeNote { get; init; }

    /// <summary>How text is compared.</summary>
    /// <value>Defaults to <see cref="Definitions.TextComparison.IgnoreCase"/>.</value>
    public TextComparison TextComparison { get; init; }

    /// <summary>The custom attributes the model reads.</summary>
    public ImmutableArray<AttributeDeclaration> Attributes { get; init; } = [];

    /// <summary>The categories; <see cref="CategoryDefinition.DefaultId"/> exists even when not listed.</summary>
    public ImmutableArray<CategoryDefinition> Categories { get; init; } = [];

    /// <summary>The marketing-qualified threshold.</summary>
    /// <value>Defaults to score 50 and grade <see cref="Grade.F"/> (score alone).</value>
    public ThresholdDefinition Mql { get; init; } = new(50, Grade.F);

    /// <summary>The "hot" fast-track threshold, above <see cref="Mql"/>; <see langword="null"/> when the model has none.</summary>
    public ThresholdDefinition? Hot { get; init; }

    /// <summary>Every rule, in model order: fit, engagement, negative, then plugin rules (the JSON sections, in that order).</summary>
    public ImmutableArray<ScoringRuleDefinition> Rules { get; init; } = [];

    /// <summary>Compares two definitions by content.</summary>
    /// <param name="other">The other definition.</param>
    /// <returns><see langword="true"/> when both have the same content.</returns>
    public bool Equals(ScoringModelDefinition? other) =>
        other is not null && Id == other.Id && Version == other.Version && ChangeNote == other.ChangeNote && TextComparison == other.TextComparison &&
        Attributes.SequenceEqual(other.Attributes) && Categories.SequenceEqual(other.Categories) && Mql == other.Mql && Hot == other.Hot &&
        Rules.SequenceEqual(other.Rules);

    /// <summary>Hashes the identity and size of the definition.</summary>
    /// <returns>A hash code consistent with <see cref="Equals(ScoringModelDefinition?)"/>.</returns>
    public override int GetHashCode() => HashCode.Combine(Id, Version, Rules.Length);
}
