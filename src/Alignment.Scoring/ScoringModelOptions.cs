using System.Diagnostics.Metrics;
using Alignment.Leads;
using Alignment.Models;

namespace Alignment.Scoring;

/// <summary>
/// What <see cref="ScoringModel.Load"/> and <see cref="ScoringModel.Compile"/> need besides the model: the leads' attribute schema and
/// the plugin rules, with the document name and read limits every model load takes (<see cref="ModelLoadOptions"/>; the limits
/// apply to <see cref="ScoringModel.Load"/> only).
/// </summary>
public sealed class ScoringModelOptions : ModelLoadOptions
{
    /// <summary>The schema of the leads' custom attributes; every attribute the model declares must be in it with the same type.</summary>
    /// <value>Defaults to <see cref="AttributeSchema.Empty"/>.</value>
    public AttributeSchema Schema { get; set; } = AttributeSchema.Empty;

    /// <summary>The plugin rules a model may refer to by <see cref="IScoringRule.Name"/>.</summary>
    /// <value>Defaults to none.</value>
    public IReadOnlyList<IScoringRule> PluginRules { get; set; } = [];

    /// <summary>
    /// Whether to interpret the model's conditions instead of compiling them to IL. Interpretation starts faster and is what
    /// platforms without dynamic code (NativeAOT, iOS) get anyway; compiled evaluation is several times faster per lead.
    /// </summary>
    /// <value>Defaults to <see langword="false"/> (compile).</value>
    public bool PreferInterpretation { get; set; }

    /// <summary>
    /// Creates the model's meter (<see cref="Alignment.Diagnostics.AlignmentDiagnostics.MeterName"/>), so that its counter belongs to the
    /// host's metrics pipeline; the <c>Add…</c> registration sets it from the container.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: a meter shared by every model loaded without a factory.</value>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>Tests only: score activities with the matcher loop instead of the row table, to compare the two.</summary>
    internal bool ScalarActivities { get; set; }
}
