using Alignment.Activities;
using Alignment.Leads;

namespace Alignment.Scoring.Tests.Plugins;

/// <summary>
/// The sample plugin of docs/plugin-authoring.md: points from third-party intent data. Before scoring, the host fetches the
/// provider's surge score (0–100, the strongest topic the account is researching) and puts it on the lead's number attribute
/// <c>intentSurge</c>; the rule turns it into points. Pure, thread-safe, no I/O.
/// </summary>
public sealed class IntentDataRule : IScoringRule
{
    /// <summary>The name a model refers to: <c>"rule": "intent-data"</c>.</summary>
    public const string RuleName = "intent-data";

    /// <summary>The custom attribute the host fills from the provider.</summary>
    public const string Attribute = "intentSurge";

    private readonly AttributeSchema _schema;
    private readonly int _ordinal;

    /// <summary>Resolves the attribute once, here, so nothing is looked up by name while scoring.</summary>
    /// <param name="schema">The leads' attribute schema (registered in DI by the host).</param>
    /// <exception cref="ArgumentException">The schema has no number attribute <c>intentSurge</c>.</exception>
    public IntentDataRule(AttributeSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (!schema.TryGetOrdinal(Attribute, out _ordinal) || schema.Definitions[_ordinal].Kind != AttributeKind.Number)
        {
            throw new ArgumentException($"The attribute schema needs a number attribute '{Attribute}' for the {RuleName} rule.", nameof(schema));
        }

        _schema = schema;
    }

    /// <inheritdoc />
    public string Name => RuleName;

    /// <summary>No points below a surge of 50 (background noise); above it, half a point per surge point (up to 25).</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="activities">Not used.</param>
    /// <param name="context">Not used: intent data has no age here.</param>
    /// <returns>The raw points; the engine rounds them to hundredths and applies the model's cap.</returns>
    /// <exception cref="ArgumentException">The lead's attributes use another schema.</exception>
    public double Evaluate(Lead lead, ReadOnlySpan<LeadActivity> activities, in ScoringContext context)
    {
        if (!ReferenceEquals(lead.Attributes.Schema, _schema))
        {
            throw new ArgumentException("The lead's attributes use another schema than the one the rule was built with.", nameof(lead));
        }

        double surge = lead.Attributes.GetNumber(_ordinal); // NaN when the provider had nothing
        return surge >= 50 ? (surge - 50) / 2 : 0;
    }
}
