using System.Collections.Immutable;
using Alignment.Policies.Handoff;
using Alignment.Policies.Handoff.Definitions;
using Alignment.Policies.Nurture;
using Alignment.Scoring;
using Alignment.Scoring.Governance;
using Alignment.Segmentation.Collateral;
using Alignment.Segmentation.Rules;

namespace Alignment.Cli.Demo;

/// <summary>The compiled models of the sample company.</summary>
/// <param name="Release">The scoring model with its marketing and sales approvals.</param>
/// <param name="Scoring">The compiled scoring model.</param>
/// <param name="Segmentation">The segmentation model with playbooks.</param>
/// <param name="Routing">The routing policy compiled with the roster.</param>
/// <param name="Roster">The roster as written.</param>
/// <param name="Nurture">The nurture policy.</param>
/// <param name="Collateral">The governed collateral library.</param>
/// <param name="CollateralClock">The library's clock (moved to the end of the year for the freshness report).</param>
/// <param name="CollateralCampaigns">Collateral that belongs to one campaign (recordings, event recaps): item id → campaign.</param>
internal sealed record DemoModelSet(
    ScoringModelRelease Release,
    ScoringModel Scoring,
    SegmentationModel Segmentation,
    CompiledRoutingPolicy Routing,
    RosterDefinition Roster,
    NurturePolicy Nurture,
    CollateralLibrary Collateral,
    SimulationClock CollateralClock,
    ImmutableDictionary<string, string> CollateralCampaigns);
