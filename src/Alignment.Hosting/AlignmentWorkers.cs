namespace Alignment.Hosting;

/// <summary>The background workers <c>AddAlignmentWorker</c> runs.</summary>
[Flags]
public enum AlignmentWorkers
{
    /// <summary>None (the start-up checks still run).</summary>
    None = 0,

    /// <summary>Sends the nurture steps that are due (every instance; enrolments are claimed under leases). Needs <c>AddNurture</c>.</summary>
    Nurture = 1,

    /// <summary>Handles breached handoff SLAs (one instance at a time, through the <c>alignment.sla</c> lease). Needs <c>AddHandoff</c>.</summary>
    SlaCheck = 2,

    /// <summary>
    /// Wakes at each watched lead's next threshold crossing, publishes it and hands the lead back to nurture or on to sales (one
    /// instance at a time, through the <c>alignment.decay</c> lease). Needs <c>AddScoring</c> and an <c>ILeadSnapshotSource</c>.
    /// </summary>
    DecayWatch = 4,

    /// <summary>
    /// Delivers the decisions stores recorded in the <c>IDecisionOutbox</c> to the decision sink, in order (one instance at a time,
    /// through the <c>alignment.outbox</c> lease). Runs only when an outbox is registered (<c>UseInMemoryDecisionOutbox</c>,
    /// <c>UsePostgreSqlDecisionOutbox</c>).
    /// </summary>
    DecisionRelay = 8,

    /// <summary>
    /// Follows the model registry (every instance): loads the active models of <see cref="AlignmentWorkerOptions.ModelTenants"/> before
    /// the host starts, then every <see cref="AlignmentWorkerOptions.ModelRefreshInterval"/> takes up what another process activated
    /// or rolled back, for every tenant this host has a model of. Runs only when models are followed (<c>AddScoringFromRegistry</c>,
    /// or any <c>IActiveModels</c> registered).
    /// </summary>
    ModelRefresh = 16,

    /// <summary>
    /// Writes what scoring buffered beside each tenant's challenger (pairs of scores, outcomes) to the <c>IChallengerLedger</c> every
    /// <see cref="AlignmentWorkerOptions.ChallengerFlushInterval"/> and once more when the host stops, and takes up challengers other
    /// hosts attached or detached (every instance). Runs only when a ledger and an <c>IChallengerBuffer</c> are registered
    /// (<c>UsePostgreSqlChallengerLedger</c> or an <c>InMemoryChallengerLedger</c>, with <c>AddScoringFromRegistry</c>).
    /// </summary>
    ChallengerFlush = 32,

    /// <summary>Every worker.</summary>
    All = Nurture | SlaCheck | DecayWatch | DecisionRelay | ModelRefresh | ChallengerFlush,
}
