using Alignment.Activities;
using Alignment.Leads;
using Alignment.Scoring;

namespace Company.Rule;

/// <summary>
/// Points from third-party intent data that the host puts on the lead's number attribute <c>intentSurge</c> (0 to 100) before
/// scoring: nothing below 50, then half a point per surge point. A model refers to it with <c>"rule": "intent-surge"</c>.
/// </summary>
public sealed class IntentSurgeRule : IScoringRule
{
    /// <summary>The name a model refers to.</summary>
    public const string RuleName = "intent-surge";

    /// <summary>The custom attribute the rule reads.</summary>
    public const string Attribute = "intentSurge";

    private readonly AttributeSchema _schema;
    private readonly int _ordinal;

    /// <summary>Resolves the attribute once, so that <see cref="Evaluate"/> does not look it up per lead.</summary>
    /// <param name="schema">The leads' attribute schema.</param>
    /// <exception cref="ArgumentException">The schema has no number attribute <c>intentSurge</c>.</exception>
    public IntentSurgeRule(AttributeSchema schema)
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

    /// <summary>The rule's raw points for one lead: pure, thread-safe, no I/O and no allocation.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="activities">Not used.</param>
    /// <param name="context">Not used.</param>
    /// <returns>The raw points; the engine rounds, caps and explains them.</returns>
    /// <exception cref="ArgumentException">The lead's attributes use another schema.</exception>
    public double Evaluate(Lead lead, ReadOnlySpan<LeadActivity> activities, in ScoringContext context)
    {
        ArgumentNullException.ThrowIfNull(lead);
        if (!ReferenceEquals(lead.Attributes.Schema, _schema))
        {
            throw new ArgumentException("The lead's attributes use another schema than the one the rule was built with.", nameof(lead));
        }

        double surge = lead.Attributes.GetNumber(_ordinal); // NaN when the provider had nothing
        return surge >= 50 ? (surge - 50) / 2 : 0;
    }
}
