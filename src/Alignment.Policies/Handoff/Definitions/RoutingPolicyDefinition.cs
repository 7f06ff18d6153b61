namespace Alignment.Policies.Handoff.Definitions;

/// <summary>
/// A routing policy as written in JSON or built in code: an ordered list of rules and the queue that takes every lead no rule
/// placed. Compile it with a roster through <see cref="RoutingPolicyCompiler"/>.
/// </summary>
internal sealed record RoutingPolicyDefinition
{
    /// <summary>The policy's id (for example <c>acme-2026</c>); it prefixes the keys of its rotation state.</summary>
    public string? Id { get; init; }

    /// <summary>The queue that takes a lead when no rule placed it. Required.</summary>
    public string? FallbackQueue { get; init; }

    /// <summary>The first-touch service level, in minutes, of rules that set none.</summary>
    /// <value>Defaults to 1440 (24 hours).</value>
    public int? DefaultSlaMinutes { get; init; }

    /// <summary>The rules, tried in order; the first that places the lead (with a rep or a queue) decides.</summary>
    public IReadOnlyList<RoutingRuleDefinition>? Rules { get; init; }
}
