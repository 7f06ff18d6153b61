namespace Alignment.Segmentation.Definitions;

/// <summary>A case study in a playbook.</summary>
public sealed record CaseStudyDocument
{
    /// <summary>The title. Required.</summary>
    public string? Title { get; init; }

    /// <summary>The customer.</summary>
    public string? Customer { get; init; }

    /// <summary>The one-paragraph summary.</summary>
    public string? Summary { get; init; }

    /// <summary>Where to read it.</summary>
    public string? Url { get; init; }
}
