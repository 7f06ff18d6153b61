namespace Alignment.Policies.Handoff;

/// <summary>Which leg of a handoff a routing is for.</summary>
public enum RoutingPhase
{
    /// <summary>The lead's first routing: every rule, including inside-sales qualification rules, applies.</summary>
    Initial = 0,

    /// <summary>An inside-sales rep qualified the lead and hands it to a field rep: qualification rules are skipped.</summary>
    Qualified = 1,
}
