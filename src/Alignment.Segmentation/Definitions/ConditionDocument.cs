using System.Text.Json;

namespace Alignment.Segmentation.Definitions;

/// <summary>
/// One condition on one field: either <see cref="In"/> (the value is one of a list, compared case-insensitively) or a range
/// (<see cref="AtLeast"/> inclusive and/or <see cref="Below"/> exclusive). A lead whose field has no value never meets a condition.
/// </summary>
public sealed record ConditionDocument
{
    /// <summary>
    /// The field: a field of the lead-field catalogue (see <see cref="Alignment.Leads.LeadFields"/>; every one but <c>segment.id</c>),
    /// <c>attributes.&lt;name&gt;</c>, a band set name, or <c>cluster.&lt;id&gt;</c>.
    /// </summary>
    public string? Field { get; init; }

    /// <summary>The allowed values (texts, band names, cluster labels, grade letters, or <c>true</c>/<c>false</c> for flags).</summary>
    public IReadOnlyList<string>? In { get; init; }

    /// <summary>The inclusive lower bound: a number, or a grade letter for <c>score.grade</c>.</summary>
    public JsonElement? AtLeast { get; init; }

    /// <summary>The exclusive upper bound: a number, or a grade letter for <c>score.grade</c>.</summary>
    public JsonElement? Below { get; init; }
}
