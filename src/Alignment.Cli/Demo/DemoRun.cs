using System.Collections.Immutable;
using Alignment.Policies.Lifecycle;
using Alignment.Policies.Metrics;
using Alignment.Policies.Nurture.Campaigns;
using Alignment.Segmentation.Collateral;
using Alignment.Segmentation.Consistency;

namespace Alignment.Cli.Demo;

/// <summary>Everything one run of the demo measured, from which the summary and the report are written.</summary>
internal sealed record DemoRun
{
    /// <summary>The models the run used.</summary>
    public required DemoModelSet Models { get; init; }

    /// <summary>The seed of the sample data.</summary>
    public required int Seed { get; init; }

    /// <summary>Leads captured.</summary>
    public required int Leads { get; init; }

    /// <summary>Activities delivered to the pipeline.</summary>
    public required int Activities { get; init; }

    /// <summary>The end of the simulated year (the metrics are taken then).</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>Every lead as the metrics read it: lifecycle history, source, touches, first touch, won amount.</summary>
    public required ImmutableArray<FunnelLead> Funnel { get; init; }

    /// <summary>The report's figures the demo shares with <c>alignment report</c>: the plan, both sides of the SLA, spend, budget.</summary>
    public required Reporting.ReportData Planning { get; init; }

    /// <summary>The alignment metrics of every lead.</summary>
    public required AlignmentMetricsReport Metrics { get; init; }

    /// <summary>The webinar campaign's funnel.</summary>
    public required CampaignFunnel Webinar { get; init; }

    /// <summary>The audit at the end of the year.</summary>
    public required LifecycleAuditReport FinalAudit { get; init; }

    /// <summary>How many times the audit ran during the year (at the end of every simulated day).</summary>
    public required int AuditsRun { get; init; }

    /// <summary>The most leads without owner or track any audit of the year found.</summary>
    public required int WorstAuditDuringYear { get; init; }

    /// <summary>Assignments per rep, and leads per queue.</summary>
    public required RoutingTally Routing { get; init; }

    /// <summary>Each first touch: the rule's service level, minutes from the start of the clock to the touch, and whether it was in time.</summary>
    public required ImmutableArray<FirstTouch> FirstTouches { get; init; }

    /// <summary>Each lead's score when it was captured, and where it ended the year.</summary>
    public required ImmutableArray<(decimal Score, LeadOutcome Outcome)> ScoresByOutcome { get; init; }

    /// <summary>Nurture activity over the year.</summary>
    public required NurtureTally Nurture { get; init; }

    /// <summary>Message consistency of the reps' answers in the year's last value-proposition test.</summary>
    public required ConsistencyReport Consistency { get; init; }

    /// <summary>The content loop of the year: suggestions, reviews, retirements, the quarterly value-proposition tests.</summary>
    public required ContentLoopResult ContentLoop { get; init; }

    /// <summary>The collateral library at the end of the year.</summary>
    public required ImmutableArray<CollateralItem> Collateral { get; init; }

    /// <summary>Times a queued lead was picked up again by the morning sweep.</summary>
    public required int QueueSweeps { get; init; }

    /// <summary>What the router's service-level check found and did: breaches, manager notifications, reassignments.</summary>
    public required SlaEscalationTally Escalations { get; init; }
}
