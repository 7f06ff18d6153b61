namespace Alignment.Scoring;

/// <summary>Thrown when a plugin scoring rule fails or returns a non-finite number; names the rule and the lead (by id only).</summary>
public sealed class ScoringRuleException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="ruleId">The rule's id in the model.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The plugin's exception, if any.</param>
    public ScoringRuleException(string ruleId, string message, Exception? innerException)
        : base($"Scoring rule '{ruleId}': {message}", innerException) => RuleId = ruleId;

    /// <summary>Creates the exception.</summary>
    public ScoringRuleException() => RuleId = string.Empty;

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ScoringRuleException(string message) : base(message) => RuleId = string.Empty;

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ScoringRuleException(string message, Exception innerException) : base(message, innerException) => RuleId = string.Empty;

    /// <summary>The id of the failing rule in the model.</summary>
    public string RuleId { get; }
}
