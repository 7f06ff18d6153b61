using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Alignment.Decisions;
using Alignment.Handoff;
using Alignment.Policies.Lifecycle;
using Alignment.Scoring;

namespace Alignment.Policies.Nurture;

/// <summary>
/// What a <see cref="NurtureEngine"/> works with, named instead of passed in a long row of constructor arguments. The required
/// ones have no safe default (a store, a step handler, a scorer); the others default as documented. <c>AddNurture</c> fills it
/// from the container, so only hosts that build the engine themselves write one.
/// </summary>
/// <example>
/// <code>
/// var engine = new NurtureEngine(policy, new NurtureEngineServices
/// {
///     Store = new InMemoryNurtureStore(),
///     Lifecycle = recorder,
///     Scorer = scoringModel,
///     Content = library,
///     StepHandler = outbox,
///     Leads = snapshots,
///     Decisions = sink,
/// });
/// </code>
/// </example>
public sealed class NurtureEngineServices
{
    /// <summary>Enrolments, due times and sent steps.</summary>
    public required INurtureStore Store { get; init; }

    /// <summary>Makes (and publishes) lifecycle transitions.</summary>
    public required LifecycleRecorder Lifecycle { get; init; }

    /// <summary>Scores a lead at each due step, for the MQL exit.</summary>
    public required ILeadScorer Scorer { get; init; }

    /// <summary>Gives steps their collateral.</summary>
    public required INurtureContentProvider Content { get; init; }

    /// <summary>Carries out steps (e-mail, rep task).</summary>
    public required INurtureStepHandler StepHandler { get; init; }

    /// <summary>Reads the lead and its activities when a step falls due.</summary>
    public required ILeadSnapshotSource Leads { get; init; }

    /// <summary>Receives enrolments.</summary>
    public required IDecisionSink Decisions { get; init; }

    /// <summary>The clock.</summary>
    /// <value>Defaults to <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Routes a lead whose score crossed MQL, or <see langword="null"/> to leave routing to the host (the lead is then MQL without an
    /// owner until routed, which the audit reports).
    /// </summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public IHandoffPolicy? Handoff { get; init; }

    /// <summary>
    /// Checks, after routing, that a rep or queue really holds the lead; when none does, the lead stays on its track (recycled)
    /// instead of being dropped. <see langword="null"/> to trust the handoff policy.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public ILeadOwnerLookup? Owners { get; init; }

    /// <summary>Creates the engine's meter, or <see langword="null"/> for a meter of its own.</summary>
    /// <value>Defaults to <see langword="null"/>.</value>
    public IMeterFactory? MeterFactory { get; init; }

    /// <summary>
    /// Creates the engine's logger (category <c>Alignment.Policies.Nurture.NurtureEngine</c>): decisions at Debug, breaches at Information. Only ids, codes and counts are
    /// logged, never a lead's e-mail, name or any URL.
    /// </summary>
    /// <value>Defaults to <see langword="null"/>: nothing is logged.</value>
    public ILoggerFactory? LoggerFactory { get; init; }
}
