using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Aot.Sample;

/// <summary>The plugin rule the example model refers to (<c>"rule": "intent-data"</c>), as in docs/plugin-authoring.md.</summary>
internal sealed class IntentDataRule : IScoringRule
{
    /// <summary>The custom attribute the host fills from the intent provider.</summary>
    public const string Attribute = "intentSurge";

    private readonly int _ordinal;

    public IntentDataRule(AttributeSchema schema)
    {
        if (!schema.TryGetOrdinal(Attribute, out _ordinal) || schema.Definitions[_ordinal].Kind != AttributeKind.Number)
        {
            throw new ArgumentException($"The attribute schema needs a number attribute '{Attribute}'.", nameof(schema));
        }
    }

    public string Name => "intent-data";

    /// <summary>No points below a surge of 50; above it, half a point per surge point.</summary>
    public double Evaluate(Lead lead, ReadOnlySpan<LeadActivity> activities, in ScoringContext context)
    {
        double surge = lead.Attributes.GetNumber(_ordinal);
        return surge >= 50 ? (surge - 50) / 2 : 0;
    }
}
