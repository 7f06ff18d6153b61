using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Alignment.Decisions;
using Alignment.Lifecycle;
using Alignment.Nurture;

namespace Alignment.Policies.Handoff;

/// <summary>
/// What a <see cref="HandoffRouter"/> works with, named instead of passed in a long row of constructor arguments (the same shape
/// as <see cref="Nurture.NurtureEngineServices"/>). The required ones have no safe default; the others default as documented.
/// <c>AddHandoff</c> fills it from the container, so only hosts that build the router themselves write one.
/// </summary>
/// <example>
/// <code>
/// using var router = new HandoffRouter(policy, new HandoffRouterServices
/// {
///     Store = new InMemoryRoutingStateStore(),
///     Decisions = sink,
///     Lifecycle = lifecycleStore,   // optional: accept and reject move the lifecycle stage
///     Nurture = nurturePolicy,      // optional: recycled leads are enrolled in nurture
/// });
/// </code>
/// </example>
public sealed class HandoffRouterServices
{
    /// <summary>The shared routing state: each lead's handoff, the reps' counters, the pools' rotations.</summary>
    public required IRoutingStateStore Store { get; init; }

    /// <summary>Receives every decision (routed, SLA breached).</summary>
    public required IDecisionSink Decisions { get; init; }

    /// <summary>The clock.</summary>
    /// <value>Defaults to <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>When set, accept and reject move the lead's lifecycle stage (SAL, recycled, disqualified).</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public ILifecycleStore? Lifecycle { get; init; }

    /// <summary>When set, leads sales reject for timing are enrolled in nurture (it publishes the enrolment decision).</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public INurturePolicy? Nurture { get; init; }

    /// <summary>When set, managers are notified of breaches on rules that ask for it.</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public IHandoffEscalationHandler? Escalation { get; init; }

    /// <summary>Creates the router's meter, or <see langword="null"/> for a meter of its own.</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public IMeterFactory? MeterFactory { get; init; }

    /// <summary>
    /// Creates the router's logger (category <c>Alignment.Policies.Handoff.HandoffRouter</c>): decisions at Debug, breaches at Information. Only ids, codes and counts are
    /// logged, never a lead's e-mail, name or any URL.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: nothing is logged.</value>
    public ILoggerFactory? LoggerFactory { get; init; }
}
