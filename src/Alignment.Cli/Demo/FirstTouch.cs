namespace Alignment.Cli.Demo;

/// <summary>One first sales touch of a handoff.</summary>
/// <param name="Rep">The rep.</param>
/// <param name="SlaMinutes">The rule's service level in minutes (15 for hot leads, 1,440 otherwise).</param>
/// <param name="Minutes">Minutes from the start of the service-level clock to the touch.</param>
/// <param name="Met">Whether the touch was by the due time.</param>
/// <param name="Escalated">Whether the router's service-level check had already reported this handoff as breached when the rep touched it.</param>
internal sealed record FirstTouch(string Rep, int SlaMinutes, double Minutes, bool Met, bool Escalated);
