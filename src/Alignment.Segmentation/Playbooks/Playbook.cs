using System.Collections.Immutable;

namespace Alignment.Segmentation.Playbooks;

/// <summary>What a rep needs to sell into one segment. The collateral items live in a <see cref="Collateral.CollateralLibrary"/>, tagged with the segment.</summary>
/// <remarks>Immutable.</remarks>
public sealed record Playbook
{
    /// <summary>The segment the playbook is for.</summary>
    public required SegmentId Segment { get; init; }

    /// <summary>The canonical value proposition: what every rep should say this segment gets.</summary>
    public required string ValueProposition { get; init; }

    /// <summary>Proof points.</summary>
    public ImmutableArray<string> ProofPoints { get; init; } = [];

    /// <summary>Data points (figures reps can quote).</summary>
    public ImmutableArray<string> DataPoints { get; init; } = [];

    /// <summary>Case studies.</summary>
    public ImmutableArray<CaseStudy> CaseStudies { get; init; } = [];

    /// <summary>Objections and the agreed answers.</summary>
    public ImmutableArray<ObjectionResponse> Objections { get; init; } = [];
}
