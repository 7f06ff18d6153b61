using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring;

namespace Alignment.Cli.TestPlugin;

/// <summary>
/// The intent-data sample of docs/plugin-authoring.md, as a plugin assembly would ship it: points from the lead's number attribute
/// <c>intentSurge</c>. It has no parameterless constructor, so the tool creates it with the models' attribute schema.
/// </summary>
public sealed class IntentDataRule : IScoringRule
{
    /// <summary>The name a model refers to: <c>"rule": "intent-data"</c>.</summary>
    public const string RuleName = "intent-data";

    /// <summary>The custom attribute the host fills from the provider.</summary>
    public const string Attribute = "intentSurge";

    private readonly AttributeSchema _schema;
    private readonly int _ordinal;

    /// <summary>Resolves the attribute once.</summary>
    /// <param name="schema">The leads' attribute schema.</param>
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

    /// <summary>No points below a surge of 50; above it, half a point per surge point.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="activities">Not used.</param>
    /// <param name="context">Not used.</param>
    /// <returns>The raw points.</returns>
    /// <exception cref="ArgumentException">The lead's attributes use another schema.</exception>
    public double Evaluate(Lead lead, ReadOnlySpan<LeadActivity> activities, in ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(lead);
        if (!ReferenceEquals(lead.Attributes.Schema, _schema))
        {
            throw new ArgumentException("The lead's attributes use another schema than the one the rule was built with.", nameof(lead));
        }

        double surge = lead.Attributes.GetNumber(_ordinal);
        return surge >= 50 ? (surge - 50) / 2 : 0;
    }
}
