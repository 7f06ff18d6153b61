using Alignment.Activities;
using Alignment.Leads;

namespace Alignment.Scoring;

/// <summary>
/// The extension point for plugin scoring rules, such as intent data from a third-party provider.
/// A scoring model refers to a rule by <see cref="Name"/>; the engine then applies the model's category, cap and
/// explanation to the points the rule returns, exactly as for a built-in rule.
/// </summary>
/// <remarks>
/// Rules must be pure, synchronous and thread-safe: one instance is called from many threads at once, and does no I/O
/// (fetch external data before scoring and put it on the lead's custom attributes). A rule that throws is reported as a
/// <c>ScoringRuleException</c> naming the rule; the engine never swallows it.
/// </remarks>
public interface IScoringRule
{
    /// <summary>The stable name a model uses to refer to the rule (for example <c>third-party-intent</c>).</summary>
    string Name { get; }

    /// <summary>Computes the rule's raw points for one lead.</summary>
    /// <param name="lead">The lead.</param>
    /// <param name="activities">The lead's activities (any order); only those at or before <see cref="ScoringContext.AsOf"/> may count.</param>
    /// <param name="context">The scoring instant.</param>
    /// <returns>The points, before the model's cap; must be finite. Rounded by the engine to hundredths.</returns>
    double Evaluate(Lead lead, ReadOnlySpan<LeadActivity> activities, in ScoringContext context);
}
