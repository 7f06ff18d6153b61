using Alignment.Decisions;
using Alignment.Lifecycle;
using Alignment.Nurture;
using Alignment.Policies.Nurture;
using Alignment.Scoring;
using Microsoft.Extensions.Logging;

namespace Alignment.Hosting;

/// <summary>What a <see cref="ScoreDecayWatcher"/> works with. <c>AddAlignmentWorker</c> fills it from the container.</summary>
public sealed class ScoreDecayWatcherServices
{
    /// <summary>Where the watches are kept.</summary>
    public required IScoreWatchStore Store { get; init; }

    /// <summary>Scores a lead (its state at an instant).</summary>
    public required ILeadScorer Scorer { get; init; }

    /// <summary>Computes when a lead's state next changes with time alone.</summary>
    public required IScoreCrossingCalculator Crossings { get; init; }

    /// <summary>Finds a lead and its activities.</summary>
    public required ILeadSnapshotSource Leads { get; init; }

    /// <summary>Receives <see cref="AlignmentDecision.ScoreCrossed"/>.</summary>
    public required IDecisionSink Decisions { get; init; }

    /// <summary>The clock. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Takes a lead with marketing that dropped below the MQL threshold back on a track (<see cref="NurtureEntryReason.DroppedBelowThreshold"/>); none: only published.</summary>
    public INurturePolicy? Nurture { get; init; }

    /// <summary>Re-evaluates a nurtured lead that rose to MQL (it leaves its track and is handed to sales); none: only published.</summary>
    public NurtureEngine? NurtureEngine { get; init; }

    /// <summary>The lifecycle (only leads with marketing are put back on nurture); none: every lead that drops is.</summary>
    public ILifecycleStore? Lifecycle { get; init; }

    /// <summary>Where it logs. None: nothing is logged.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
