namespace Alignment.AspNetCore.Wire;

/// <summary>One lifecycle transition.</summary>
/// <param name="From">The stage it left.</param>
/// <param name="To">The stage it entered.</param>
/// <param name="At">When.</param>
/// <param name="Actor">Who moved it (<c>System</c>, <c>Marketing</c>, <c>Sales</c>).</param>
/// <param name="Reason">Why.</param>
/// <param name="ModelVersion">The model version that decided, if any.</param>
public sealed record TransitionResponse(string From, string To, DateTimeOffset At, string Actor, string Reason, string? ModelVersion);
