using Alignment.Models;

namespace Alignment.Scoring;

/// <summary>Options of the scoring capability registered with <c>AddScoring</c>: where the scoring model comes from.</summary>
/// <remarks>Set exactly one of <see cref="ModelPath"/> and <see cref="ModelJson"/>. Validated at start-up: a missing file or an invalid model stops the host with every problem listed.</remarks>
public sealed class ScoringOptions
{
    /// <summary>The path of the scoring model file (JSON).</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public string? ModelPath { get; set; }

    /// <summary>The scoring model's JSON text, for hosts that keep models in their own store.</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public string? ModelJson { get; set; }

    /// <summary>
    /// The bounds on the model (file size, nesting, objects, array and string lengths), enforced while it is read: a file over one
    /// stops the host with the JSON path and the limit. Set them for models your users upload; the defaults suit any model written by people.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: the defaults of <see cref="ModelReadLimits"/>.</value>
    public ModelReadLimits? Limits { get; set; }
}
