using System.Collections.Immutable;
using Alignment.Segmentation.Playbooks;

namespace Alignment.Segmentation.Rules;

/// <summary>A compiled segment definition, as the model shows it to callers.</summary>
/// <remarks>Immutable.</remarks>
public sealed record SegmentDefinition
{
    /// <summary>The segment id.</summary>
    public required SegmentId Id { get; init; }

    /// <summary>The display name.</summary>
    public required string Name { get; init; }

    /// <summary>A description, when given.</summary>
    public string? Description { get; init; }

    /// <summary>The position in precedence order (0 first), or -1 for the default segment.</summary>
    public required int Order { get; init; }

    /// <summary>The conditions in canonical text (for example <c>company.industry in {Software, SaaS}</c>); empty for the default segment.</summary>
    public required ImmutableArray<string> Conditions { get; init; }

    /// <summary>The playbook, when the model gives one.</summary>
    public Playbook? Playbook { get; init; }

    /// <summary>Whether this is the default segment.</summary>
    public bool IsDefault => Order < 0;
}
