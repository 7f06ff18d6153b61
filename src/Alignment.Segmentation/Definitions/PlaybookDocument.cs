namespace Alignment.Segmentation.Definitions;

/// <summary>A segment's playbook as written in JSON.</summary>
public sealed record PlaybookDocument
{
    /// <summary>The canonical value proposition for the segment. Required.</summary>
    public string? ValueProposition { get; init; }

    /// <summary>Proof points.</summary>
    public IReadOnlyList<string>? ProofPoints { get; init; }

    /// <summary>Data points (figures reps can quote).</summary>
    public IReadOnlyList<string>? DataPoints { get; init; }

    /// <summary>Case studies.</summary>
    public IReadOnlyList<CaseStudyDocument>? CaseStudies { get; init; }

    /// <summary>Objections and the answers to them.</summary>
    public IReadOnlyList<ObjectionDocument>? Objections { get; init; }
}
